package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.Strategy;
import dev.gateway.config.UpstreamConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllUnhealthyTest {

    private final Pools.FakeClock clock = new Pools.FakeClock();

    @Test
    void failAnswersNothingWhenEveryBreakerIsOpen() {
        for (Strategy strategy : Strategy.values()) {
            Pool pool = pool(strategy, UpstreamConfig.AllUnhealthy.FAIL);
            tripAll(pool);

            assertThat(pool.select(Pools.Key.ip("192.0.2.1"), List.of())).as(strategy.name()).isNull();
            assertThat(pool.select(Pools.Key.ip("192.0.2.1"), pool.targets())).as(strategy.name()).isNull();
        }
    }

    @Test
    void ignoreHealthSpreadsOverAllTargetsWhenEveryBreakerIsOpen() {
        Pool pool = pool(Strategy.ROUND_ROBIN, UpstreamConfig.AllUnhealthy.IGNORE_HEALTH);
        tripAll(pool);

        int[] counts = new int[3];
        for (int i = 0; i < 300; i++) {
            counts[Pools.pickOnce(pool, Pools.Key.ip("192.0.2.1"))]++;
        }

        assertThat(counts).containsExactly(100, 100, 100);
    }

    @Test
    void ignoreHealthStillPrefersUntriedTargets() {
        for (Strategy strategy : Strategy.values()) {
            Pool pool = pool(strategy, UpstreamConfig.AllUnhealthy.IGNORE_HEALTH);
            tripAll(pool);

            Selection selection = pool.select(Pools.Key.ip("192.0.2.1"), pool.targets().subList(0, 2));

            assertThat(selection.target()).as(strategy.name()).isSameAs(pool.targets().get(2));
            selection.complete(Outcome.failure(Outcome.Kind.CONNECT_FAILURE, 1_000));
        }
    }

    @Test
    void healthyTargetsAreUsedAgainOnceTheirBreakersAdmit() {
        Pool pool = pool(Strategy.ROUND_ROBIN, UpstreamConfig.AllUnhealthy.FAIL);
        tripAll(pool);
        assertThat(pool.select(Pools.Key.ip("192.0.2.1"), List.of())).isNull();

        clock.advance(Duration.ofSeconds(10));

        Selection trial = pool.select(Pools.Key.ip("192.0.2.1"), List.of());
        assertThat(trial).isNotNull();
        trial.complete(Outcome.response(200, 1_000));
        assertThat(pool.breaker(trial.target()).state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private Pool pool(Strategy strategy, UpstreamConfig.AllUnhealthy allUnhealthy) {
        return Pools.pool(strategy, "client_ip", Pools.targets(1, 1, 1),
                Pools.breaker(1, 100, 100, 100, Duration.ofSeconds(5), 100, Duration.ofSeconds(10),
                        Duration.ofMinutes(1), 1, 100),
                allUnhealthy, clock);
    }

    private static void tripAll(Pool pool) {
        for (Target target : pool.targets()) {
            pool.breaker(target).record(Outcome.failure(Outcome.Kind.RESET, 1_000));
            assertThat(pool.breaker(target).state()).isEqualTo(CircuitBreaker.State.OPEN);
        }
    }
}
