package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.Strategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightedRoundRobinTest {

    @Test
    void weightsFiveOneOneInterleaveSmoothly() {
        Pool pool = Pools.pool(Strategy.WEIGHTED_ROUND_ROBIN, 5, 1, 1);
        List<Integer> order = new ArrayList<>();

        for (int i = 0; i < 14; i++) {
            order.add(Pools.pickOnce(pool, Pools.Key.ip("192.0.2.1")));
        }

        // a a b a c a a, twice
        assertThat(order).containsExactly(0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0);
    }

    @Test
    void countsFollowWeightsExactlyOverWholeCycles() {
        Pool pool = Pools.pool(Strategy.WEIGHTED_ROUND_ROBIN, 3, 2, 1);

        assertThat(Pools.counts(pool, 600)).containsExactly(300, 200, 100);
    }

    @Test
    void equalWeightsAlternate() {
        Pool pool = Pools.pool(Strategy.WEIGHTED_ROUND_ROBIN, 2, 2, 2);
        List<Integer> order = new ArrayList<>();

        for (int i = 0; i < 6; i++) {
            order.add(Pools.pickOnce(pool, Pools.Key.ip("192.0.2.1")));
        }

        assertThat(order).containsExactly(0, 1, 2, 0, 1, 2);
    }

    @Test
    void retrySkipsTheTriedTargetEvenWhenItIsDue() {
        Pool pool = Pools.pool(Strategy.WEIGHTED_ROUND_ROBIN, 5, 1, 1);
        Target heavy = pool.targets().get(0);

        for (int i = 0; i < 50; i++) {
            Selection selection = pool.select(Pools.Key.ip("192.0.2.1"), List.of(heavy));
            assertThat(selection.target()).isNotSameAs(heavy);
            selection.complete(Outcome.response(200, 1_000));
        }
    }
}
