package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.strategy.RequestKey;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.Strategy;
import dev.gateway.config.UpstreamConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The least-loaded strategies ask whether a target may be picked only of one that would win; an
 * unhealthy or ejected target usually looks best (it gets no traffic), so it must still be passed
 * over, and taken again once it is back.
 */
class LeastLoadedSkipsUnavailableTargetsTest {

    private static final RequestKey KEY = Pools.Key.ip("192.0.2.1");

    private final Pools.FakeClock clock = new Pools.FakeClock();

    @Test
    void leastConnectionsSkipsUnhealthyAndEjectedTargetsUntilTheyAreBack() {
        checkSkipsUntilBack(Strategy.LEAST_CONNECTIONS);
    }

    @Test
    void leastResponseTimeSkipsUnhealthyAndEjectedTargetsUntilTheyAreBack() {
        checkSkipsUntilBack(Strategy.LEAST_RESPONSE_TIME);
    }

    private void checkSkipsUntilBack(Strategy strategy) {
        Pool pool = Pools.pool(strategy, "client_ip", Pools.targets(1, 1, 1),
                Pools.breaker(1, 100, 100, 100, Duration.ofSeconds(5), 100, Duration.ofSeconds(10),
                        Duration.ofMinutes(1), 1, 100),
                UpstreamConfig.AllUnhealthy.FAIL, clock);
        Target unhealthy = pool.targets().get(0);
        Target ejected = pool.targets().get(1);
        Target busy = pool.targets().get(2);
        // the only usable target is the worst by every measure: measured, and with requests in flight
        select(pool, busy).complete(Outcome.response(200, 50_000_000));
        List<Selection> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(select(pool, busy));
        }
        Pools.markHealthy(unhealthy, false);
        select(pool, ejected).complete(Outcome.failure(Outcome.Kind.RESET, 1_000));
        assertThat(pool.breaker(ejected).state()).isEqualTo(CircuitBreaker.State.OPEN);

        for (int i = 0; i < 50; i++) {
            assertThat(Pools.pickOnce(pool, KEY)).as(strategy.name()).isEqualTo(2);
        }

        Pools.markHealthy(unhealthy, true);
        clock.advance(Duration.ofSeconds(10));
        Selection trial = select(pool, ejected);
        trial.complete(Outcome.response(200, 1_000_000));
        assertThat(pool.breaker(ejected).state()).isEqualTo(CircuitBreaker.State.CLOSED);
        int[] counts = new int[3];
        for (int i = 0; i < 50; i++) {
            counts[Pools.pickOnce(pool, KEY)]++;
        }
        assertThat(counts[0]).as(strategy.name()).isPositive();
        assertThat(counts[1]).as(strategy.name()).isPositive();
        assertThat(counts[2]).as(strategy.name()).isZero();
        inFlight.forEach(selection -> selection.complete(Outcome.response(200, 1_000)));
    }

    /** Forces the pick onto {@code target} by marking every other target tried. */
    private static Selection select(Pool pool, Target target) {
        List<Target> others = new ArrayList<>(pool.targets());
        others.remove(target);
        Selection selection = pool.select(KEY, others);
        assertThat(selection.target()).isSameAs(target);
        return selection;
    }
}
