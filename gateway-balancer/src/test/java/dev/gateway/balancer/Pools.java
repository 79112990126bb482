package dev.gateway.balancer;

import dev.gateway.balancer.strategy.RequestKey;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.balancer.targets.TargetHealth;
import dev.gateway.config.CircuitBreakerConfig;
import dev.gateway.config.Strategy;
import dev.gateway.config.TargetConfig;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.config.UpstreamTlsConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/** Builds pools for tests: targets http://10.0.0.N:8080 with the given weights. */
public final class Pools {

    public static final CircuitBreakerConfig LENIENT_BREAKER = breaker(1_000_000, 100, 20, 20, Duration.ofHours(1), 100,
            Duration.ofSeconds(10), Duration.ofMinutes(5), 3, 100);

    private Pools() {
    }

    public static CircuitBreakerConfig breaker(int consecutive, int failureRate, int window, int minimumCalls,
            Duration slow, int slowRate, Duration open, Duration maxOpen, int halfOpen, int maxEjectedPercent) {
        return new CircuitBreakerConfig(consecutive, failureRate, window, minimumCalls, slow, slowRate, open, maxOpen,
                halfOpen, maxEjectedPercent, Set.of(502, 503, 504));
    }

    public static List<TargetConfig> targets(int... weights) {
        List<TargetConfig> targets = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            targets.add(target(i + 1, weights[i]));
        }
        return targets;
    }

    public static TargetConfig target(int n, int weight) {
        return new TargetConfig("http://10.0.0." + n + ":8080", false, "10.0.0." + n, 8080, weight);
    }

    public static Pool pool(Strategy strategy, String hashKey, List<TargetConfig> targets, CircuitBreakerConfig breaker,
            UpstreamConfig.AllUnhealthy allUnhealthy, LongSupplier clock) {
        return new Pool(new UpstreamConfig("api", targets, strategy, hashKey, Optional.empty(),
                Duration.ofSeconds(2), 64, Duration.ofSeconds(30), 1000, allUnhealthy, Optional.empty(), breaker,
                UpstreamTlsConfig.DEFAULT),
                clock);
    }

    public static Pool pool(Strategy strategy, int... weights) {
        return pool(strategy, "client_ip", targets(weights), LENIENT_BREAKER, UpstreamConfig.AllUnhealthy.FAIL,
                System::nanoTime);
    }

    /** Marks a target up or down by hand, as its health check would. */
    public static void markHealthy(Target target, boolean healthy) {
        TargetHealth now = target.health();
        target.health(new TargetHealth(healthy, healthy ? "marked healthy" : "marked unhealthy", Instant.now(),
                now.lastCheck(), now.lastCheckAt()));
    }

    /** Picks and completes immediately, returning the chosen target's index. */
    public static int pickOnce(Pool pool, RequestKey key) {
        Selection selection = pool.select(key, List.of());
        selection.complete(Outcome.response(200, 1_000_000));
        return pool.targets().indexOf(selection.target());
    }

    public static int[] counts(Pool pool, int picks) {
        int[] counts = new int[pool.targets().size()];
        for (int i = 0; i < picks; i++) {
            counts[pickOnce(pool, Key.ip("192.0.2." + (i % 250)))]++;
        }
        return counts;
    }

    /** A mutable nanoTime for breaker tests. */
    public static final class FakeClock implements LongSupplier {
        private long now = 1_000_000_000L;

        @Override
        public long getAsLong() {
            return now;
        }

        void advance(Duration duration) {
            now += duration.toNanos();
        }
    }

    public record Key(String clientIp, String path, Map<String, String> headers, Map<String, String> cookies)
            implements RequestKey {

        public static Key ip(String ip) {
            return new Key(ip, "/", Map.of(), Map.of());
        }

        @Override
        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public String cookie(String name) {
            return cookies.get(name);
        }
    }
}
