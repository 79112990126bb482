package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.Strategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StrategyDistributionTest {

    private static final int PICKS = 60_000;

    @Test
    void randomRespectsWeightsWithinTolerance() {
        Pool pool = Pools.pool(Strategy.RANDOM, 1, 2, 3);

        int[] counts = Pools.counts(pool, PICKS);

        // expected 10k, 20k, 30k; 5 standard deviations is under 600
        assertThat(counts[0]).isBetween(9_300, 10_700);
        assertThat(counts[1]).isBetween(19_200, 20_800);
        assertThat(counts[2]).isBetween(29_200, 30_800);
    }

    @Test
    void powerOfTwoSpreadsEvenlyWhenIdle() {
        Pool pool = Pools.pool(Strategy.POWER_OF_TWO, 1, 1, 1, 1);

        int[] counts = Pools.counts(pool, PICKS);

        for (int count : counts) {
            assertThat(count).isBetween(13_500, 16_500);
        }
    }

    @Test
    void powerOfTwoNeverPicksTheBusierOfTwo() {
        Pool pool = Pools.pool(Strategy.POWER_OF_TWO, 1, 1);
        List<Selection> busy = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            busy.add(pool.select(Pools.Key.ip("192.0.2.1"), List.of(pool.targets().get(0))));
        }
        assertThat(pool.targets().get(1).activeRequests()).isEqualTo(5);

        for (int i = 0; i < 100; i++) {
            assertThat(Pools.pickOnce(pool, Pools.Key.ip("192.0.2.1"))).isZero();
        }
        busy.forEach(selection -> selection.complete(Outcome.response(200, 1_000)));
    }

    @Test
    void leastConnectionsSpreadsRoundRobinWhenIdle() {
        Pool pool = Pools.pool(Strategy.LEAST_CONNECTIONS, 1, 1, 1);

        assertThat(Pools.counts(pool, 300)).containsExactly(100, 100, 100);
    }

    @Test
    void leastConnectionsBalancesActiveRequestsByWeight() {
        Pool pool = Pools.pool(Strategy.LEAST_CONNECTIONS, 1, 3);
        List<Selection> open = new ArrayList<>();

        for (int i = 0; i < 40; i++) {
            open.add(pool.select(Pools.Key.ip("192.0.2.1"), List.of()));
        }

        assertThat(pool.targets().get(0).activeRequests()).isEqualTo(10);
        assertThat(pool.targets().get(1).activeRequests()).isEqualTo(30);
        open.forEach(selection -> selection.complete(Outcome.response(200, 1_000)));
    }

    @Test
    void ipHashKeepsAClientOnOneTargetAndSpreadsClients() {
        Pool pool = Pools.pool(Strategy.IP_HASH, 1, 1, 1);
        int first = Pools.pickOnce(pool, Pools.Key.ip("203.0.113.9"));
        for (int i = 0; i < 20; i++) {
            assertThat(Pools.pickOnce(pool, Pools.Key.ip("203.0.113.9"))).isEqualTo(first);
        }

        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) {
            counts[Pools.pickOnce(pool, Pools.Key.ip("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)))]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(9_000, 11_000);
        }
    }

    @Test
    void leastResponseTimeTriesUnmeasuredTargetsFirstThenPrefersTheFastest() {
        Pool pool = Pools.pool(Strategy.LEAST_RESPONSE_TIME, 1, 1, 1);
        Set<Target> firstThree = new HashSet<>();
        long[] latencies = {50_000_000, 5_000_000, 20_000_000};
        for (int i = 0; i < 3; i++) {
            Selection selection = pool.select(Pools.Key.ip("192.0.2.1"), List.of());
            firstThree.add(selection.target());
            selection.complete(Outcome.response(200, latencies[pool.targets().indexOf(selection.target())]));
        }
        assertThat(firstThree).hasSize(3);

        for (int i = 0; i < 20; i++) {
            assertThat(Pools.pickOnce(pool, Pools.Key.ip("192.0.2.1"))).isEqualTo(1);
        }
    }

    @Test
    void leastResponseTimeWeighsActiveRequests() {
        Pool pool = Pools.pool(Strategy.LEAST_RESPONSE_TIME, 1, 1);
        complete(pool, 0, 10_000_000);
        complete(pool, 1, 25_000_000);
        List<Selection> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            open.add(pool.select(Pools.Key.ip("192.0.2.1"), List.of(pool.targets().get(1))));
        }
        // target 0: 10ms x 3 = 30 > target 1: 25ms x 1
        assertThat(Pools.pickOnce(pool, Pools.Key.ip("192.0.2.1"))).isEqualTo(1);
        open.forEach(selection -> selection.complete(Outcome.response(200, 10_000_000)));
    }

    private static void complete(Pool pool, int index, long latency) {
        List<Target> others = new ArrayList<>(pool.targets());
        others.remove(index);
        Selection selection = pool.select(Pools.Key.ip("192.0.2.1"), others);
        assertThat(pool.targets().indexOf(selection.target())).isEqualTo(index);
        selection.complete(Outcome.response(200, latency));
    }

    @Test
    void everyStrategyAvoidsTriedTargetsWhileOthersRemain() {
        for (Strategy strategy : Strategy.values()) {
            Pool pool = Pools.pool(strategy, 1, 2, 1);
            List<Target> tried = List.of(pool.targets().get(0), pool.targets().get(1));
            for (int i = 0; i < 200; i++) {
                Selection selection = pool.select(Pools.Key.ip("192.0.2." + (i % 200)), tried);
                assertThat(selection.target()).as(strategy.name()).isSameAs(pool.targets().get(2));
                selection.complete(Outcome.response(200, 1_000_000));
            }
        }
    }
}
