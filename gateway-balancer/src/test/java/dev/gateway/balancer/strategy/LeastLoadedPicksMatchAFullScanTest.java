package dev.gateway.balancer.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.CircuitBreaker;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.Pools;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.Strategy;
import dev.gateway.config.UpstreamConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The least-loaded strategies take shortcuts (integer loads, asking about eligibility only for the
 * winner); over random pools with random loads, weights, health, open breakers, tried targets and
 * modes they must pick exactly what the plain definition picks: the acceptable target with the least
 * load per weight, the first one from the rotation's start on a tie.
 */
class LeastLoadedPicksMatchAFullScanTest {

    private static final int[][] WEIGHT_SETS = {{1}, {1, 2, 3}, {1, 4, 6, 10}, {65_521, 65_519, 131_038}};

    private final Random random = new Random(7);

    @Test
    void leastConnectionsMatchesTheDefinition() {
        for (int scenario = 0; scenario < 400; scenario++) {
            check(Strategy.LEAST_CONNECTIONS, scenario);
        }
    }

    @Test
    void leastResponseTimeMatchesTheDefinition() {
        for (int scenario = 0; scenario < 400; scenario++) {
            check(Strategy.LEAST_RESPONSE_TIME, scenario);
        }
    }

    private void check(Strategy strategy, int scenario) {
        int size = 1 + random.nextInt(scenario % 3 == 0 ? 100 : 8);
        int[] weightSet = WEIGHT_SETS[random.nextInt(WEIGHT_SETS.length)];
        int[] weights = new int[size];
        for (int i = 0; i < size; i++) {
            weights[i] = weightSet[random.nextInt(weightSet.length)];
        }
        Pool pool = Pools.pool(strategy, "client_ip", Pools.targets(weights),
                Pools.breaker(1, 100, 100, 100, Duration.ofSeconds(5), 100, Duration.ofSeconds(10),
                        Duration.ofMinutes(1), 1, 100),
                UpstreamConfig.AllUnhealthy.FAIL, new Pools.FakeClock());
        Target[] targets = pool.targets().toArray(new Target[0]);
        CircuitBreaker[] breakers = new CircuitBreaker[size];
        long[] latencies = new long[size];
        List<Target> tried = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            breakers[i] = pool.breaker(targets[i]);
            for (int active = random.nextInt(4); active > 0; active--) {
                targets[i].started();
            }
            // few distinct values, so ties are common
            latencies[i] = random.nextInt(4) == 0 ? 0 : 1_000_000L * (1 + random.nextInt(3));
            if (random.nextInt(6) == 0) {
                Pools.markHealthy(targets[i], false);
            }
            if (random.nextInt(6) == 0) {
                breakers[i].record(Outcome.failure(Outcome.Kind.RESET, 1_000));
            }
            if (random.nextInt(5) == 0) {
                tried.add(targets[i]);
            }
        }
        Picker picker = Picker.create(pool.config(), new Eligibility(targets, index -> breakers[index].wouldAdmit()));
        for (int i = 0; i < size; i++) {
            if (latencies[i] > 0) {
                picker.record(i, Outcome.response(200, latencies[i]));
            }
        }
        boolean byLatency = strategy == Strategy.LEAST_RESPONSE_TIME;
        for (int start = 0; start < Math.min(size, 5); start++) {
            int mode = random.nextInt(4);
            int expected = definition(targets, breakers, weights, byLatency ? latencies : null, tried, mode, start);
            assertThat(picker.pick(Pools.Key.ip("192.0.2.1"), tried, mode))
                    .as("%s scenario %d, start %d, mode %d", strategy, scenario, start, mode)
                    .isEqualTo(expected);
        }
    }

    /** With latencies: least latency x (active + 1) / weight; else least active / weight. */
    private static int definition(Target[] targets, CircuitBreaker[] breakers, int[] weights, long[] latencies,
            List<Target> tried, int mode, int start) {
        int best = -1;
        long bestLoad = 0;
        long bestWeight = 1;
        for (int i = 0; i < targets.length; i++) {
            int index = (start + i) % targets.length;
            boolean acceptable = ((mode & Eligibility.SKIP_TRIED) == 0 || !tried.contains(targets[index]))
                    && ((mode & Eligibility.CHECK_BREAKER) == 0
                    || targets[index].isHealthy() && breakers[index].wouldAdmit());
            long active = targets[index].activeRequests();
            long load = latencies == null ? active : latencies[index] / 1_000_000 * (active + 1);
            if (acceptable && (best < 0 || load * bestWeight < bestLoad * weights[index])) {
                best = index;
                bestLoad = load;
                bestWeight = weights[index];
            }
        }
        return best;
    }
}
