package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.config.Strategy;
import dev.gateway.config.UpstreamConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MaxEjectedPercentTest {

    private final Pools.FakeClock clock = new Pools.FakeClock();

    @Test
    void tripsBeyondTheCapAreNotApplied() {
        Pool pool = pool(4, 50);

        trip(pool, 0);
        trip(pool, 1);
        trip(pool, 2);

        assertThat(state(pool, 0)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(state(pool, 1)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(state(pool, 2)).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aRestoredTargetFreesItsPlaceForTheNextTrip() {
        Pool pool = pool(4, 50);
        trip(pool, 0);
        trip(pool, 1);
        trip(pool, 2);

        clock.advance(Duration.ofSeconds(10));
        CircuitBreaker first = pool.breaker(pool.targets().get(0));
        assertThat(first.tryAdmit()).isTrue();
        first.record(Outcome.response(200, 1_000));
        assertThat(first.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        trip(pool, 2);

        assertThat(state(pool, 2)).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void zeroPercentNeverEjects() {
        Pool pool = pool(3, 0);

        trip(pool, 0);

        assertThat(state(pool, 0)).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void capRoundsDownSoASingleTargetPoolAtFiftyPercentIsNeverEjected() {
        Pool pool = pool(1, 50);

        trip(pool, 0);

        assertThat(state(pool, 0)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(pool.select(Pools.Key.ip("192.0.2.1"), java.util.List.of())).isNotNull();
    }

    private Pool pool(int targets, int maxEjectedPercent) {
        int[] weights = new int[targets];
        java.util.Arrays.fill(weights, 1);
        return Pools.pool(Strategy.ROUND_ROBIN, "client_ip", Pools.targets(weights),
                Pools.breaker(2, 100, 100, 100, Duration.ofSeconds(5), 100, Duration.ofSeconds(10),
                        Duration.ofMinutes(1), 1, maxEjectedPercent),
                UpstreamConfig.AllUnhealthy.FAIL, clock);
    }

    private static void trip(Pool pool, int index) {
        CircuitBreaker breaker = pool.breaker(pool.targets().get(index));
        breaker.record(Outcome.failure(Outcome.Kind.RESET, 1_000));
        breaker.record(Outcome.failure(Outcome.Kind.RESET, 1_000));
    }

    private static CircuitBreaker.State state(Pool pool, int index) {
        return pool.breaker(pool.targets().get(index)).state();
    }
}
