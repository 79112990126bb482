package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.strategy.RequestKey;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.CircuitBreakerConfig;
import dev.gateway.config.Strategy;
import dev.gateway.config.TargetConfig;
import dev.gateway.config.UpstreamConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class RoundRobinSelectionTest {

    private static final RequestKey KEY = new FixedKey("198.51.100.7", "/users/7");

    @Test
    void roundRobinSpreadsEvenlyOverTargets() {
        Pool pool = pool("http://10.0.0.1:8080", "http://10.0.0.2:8080", "http://10.0.0.3:8080");
        Map<String, Integer> counts = new HashMap<>();

        for (int i = 0; i < 300; i++) {
            Selection selection = pool.select(KEY, List.of());
            counts.merge(selection.target().url(), 1, Integer::sum);
            selection.complete(Outcome.response(200, 1_000));
        }

        assertThat(counts).containsOnly(
                Map.entry("http://10.0.0.1:8080", 100),
                Map.entry("http://10.0.0.2:8080", 100),
                Map.entry("http://10.0.0.3:8080", 100));
    }

    @Test
    void consecutiveRequestsVisitEveryTargetBeforeRepeating() {
        Pool pool = pool("http://10.0.0.1:8080", "http://10.0.0.2:8080", "http://10.0.0.3:8080", "http://10.0.0.4:8080");

        for (int round = 0; round < 5; round++) {
            Set<Target> seen = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                Selection selection = pool.select(KEY, List.of());
                seen.add(selection.target());
                selection.complete(Outcome.response(200, 1_000));
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(pool.targets());
        }
    }

    @Test
    void retryAvoidsTheTargetThatAlreadyFailed() {
        Pool pool = pool("http://10.0.0.1:8080", "http://10.0.0.2:8080", "http://10.0.0.3:8080");
        Target failed = pool.targets().get(1);

        for (int i = 0; i < 30; i++) {
            Selection selection = pool.select(KEY, List.of(failed));
            assertThat(selection.target()).isNotSameAs(failed);
            selection.complete(Outcome.response(200, 1_000));
        }
    }

    @Test
    void retryGoesToTheOnlyUntriedTargetWheneverTheRotationStarts() {
        Pool pool = pool("http://10.0.0.1:8080", "http://10.0.0.2:8080", "http://10.0.0.3:8080");
        List<Target> tried = List.of(pool.targets().get(0), pool.targets().get(2));

        for (int i = 0; i < 30; i++) {
            Selection selection = pool.select(KEY, tried);
            assertThat(selection.target()).isSameAs(pool.targets().get(1));
            selection.complete(Outcome.response(200, 1_000));
        }
    }

    @Test
    void whenEveryTargetWasTriedOneIsStillOffered() {
        Pool pool = pool("http://10.0.0.1:8080", "http://10.0.0.2:8080");

        Selection selection = pool.select(KEY, pool.targets());

        assertThat(selection).isNotNull();
        assertThat(pool.targets()).contains(selection.target());
        selection.complete(Outcome.response(200, 1_000));
    }

    @Test
    void singleTargetPoolRetriesOnTheSameTarget() {
        Pool pool = pool("http://10.0.0.1:8080");
        Target only = pool.targets().get(0);

        Selection retry = pool.select(KEY, List.of(only));

        assertThat(retry.target()).isSameAs(only);
        retry.complete(Outcome.response(200, 1_000));
    }

    @Test
    void emptyPoolHasNothingToOffer() {
        Pool pool = pool();

        assertThat(pool.select(KEY, List.of())).isNull();
        assertThat(pool.select(KEY, List.of())).isNull();
    }

    @Test
    void selectionCountsAsAnActiveRequestUntilCompleted() {
        Pool pool = pool("http://10.0.0.1:8080", "http://10.0.0.2:8080", "http://10.0.0.3:8080");
        List<Selection> inFlight = new ArrayList<>();

        for (int i = 0; i < 6; i++) {
            inFlight.add(pool.select(KEY, List.of()));
        }

        assertThat(pool.targets()).allSatisfy(target -> assertThat(target.activeRequests()).isEqualTo(2));
        inFlight.forEach(selection -> selection.complete(Outcome.response(200, 1_000)));
        assertThat(pool.targets()).allSatisfy(target -> assertThat(target.activeRequests()).isZero());
    }

    @Test
    void completingTwiceDecrementsActiveRequestsOnce() {
        Pool pool = pool("http://10.0.0.1:8080");
        Selection first = pool.select(KEY, List.of());
        Selection second = pool.select(KEY, List.of());
        Target target = first.target();
        assertThat(target.activeRequests()).isEqualTo(2);

        first.complete(Outcome.failure(Outcome.Kind.TIMEOUT, 1_000));
        first.complete(Outcome.failure(Outcome.Kind.CANCELLED, 2_000));

        assertThat(target.activeRequests()).isEqualTo(1);
        second.complete(Outcome.response(200, 1_000));
        second.complete(Outcome.response(200, 1_000));
        assertThat(target.activeRequests()).isZero();
    }

    @Test
    void poolExposesItsConfiguredTargetsInOrder() {
        Pool pool = pool("http://10.0.0.1:8080", "http://10.0.0.2:9090");

        assertThat(pool.name()).isEqualTo("api");
        assertThat(pool.targets()).extracting(Target::url)
                .containsExactly("http://10.0.0.1:8080", "http://10.0.0.2:9090");
        assertThat(pool.targets()).extracting(Target::host, Target::port)
                .containsExactly(Tuple.tuple("10.0.0.1", 8080),
                        Tuple.tuple("10.0.0.2", 9090));
        assertThat(pool.retryBudget()).isNotNull();
    }

    private static Pool pool(String... urls) {
        List<TargetConfig> targets = new ArrayList<>();
        for (String url : urls) {
            String authority = url.substring("http://".length());
            int colon = authority.lastIndexOf(':');
            targets.add(new TargetConfig(url, false, authority.substring(0, colon),
                    Integer.parseInt(authority.substring(colon + 1)), 1));
        }
        CircuitBreakerConfig breaker = new CircuitBreakerConfig(5, 50, 20, 10, Duration.ofSeconds(5), 100,
                Duration.ofSeconds(10), Duration.ofMinutes(5), 3, 50, Set.of(502, 503, 504));
        return new Pool(new UpstreamConfig("api", targets, Strategy.ROUND_ROBIN, "client_ip", Optional.empty(),
                Duration.ofSeconds(2), 64, Duration.ofSeconds(30), 1000, UpstreamConfig.AllUnhealthy.FAIL,
                Optional.empty(), breaker, dev.gateway.config.UpstreamTlsConfig.DEFAULT));
    }

    private record FixedKey(String clientIp, String path) implements RequestKey {

        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public String cookie(String name) {
            return null;
        }
    }
}
