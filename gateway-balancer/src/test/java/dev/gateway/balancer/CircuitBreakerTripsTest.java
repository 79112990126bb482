package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.CircuitBreakerConfig;
import dev.gateway.config.Strategy;
import dev.gateway.config.UpstreamConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTripsTest {

    private static final Duration FAST = Duration.ofMillis(5);
    private static final Duration SLOW_CALL = Duration.ofSeconds(1);

    private final Pools.FakeClock clock = new Pools.FakeClock();

    @Test
    void tripsAfterConsecutiveFailures() {
        CircuitBreaker breaker = breaker(Pools.breaker(3, 100, 100, 100, SLOW_CALL, 100,
                Duration.ofSeconds(10), Duration.ofMinutes(5), 3, 100));

        breaker.record(Outcome.failure(Outcome.Kind.CONNECT_FAILURE, 1_000));
        breaker.record(Outcome.failure(Outcome.Kind.RESET, 1_000));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAdmit()).isTrue();

        breaker.record(Outcome.response(503, 1_000));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.openUntilNanos()).isEqualTo(clock.getAsLong() + Duration.ofSeconds(10).toNanos());
        assertThat(breaker.tryAdmit()).isFalse();
    }

    @Test
    void aSuccessResetsTheConsecutiveCount() {
        CircuitBreaker breaker = breaker(Pools.breaker(3, 100, 100, 100, SLOW_CALL, 100,
                Duration.ofSeconds(10), Duration.ofMinutes(5), 3, 100));

        for (int i = 0; i < 10; i++) {
            breaker.record(Outcome.failure(Outcome.Kind.TIMEOUT, 1_000));
            breaker.record(Outcome.failure(Outcome.Kind.TIMEOUT, 1_000));
            breaker.record(Outcome.response(200, 1_000));
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void onlyConfiguredStatusesCountAsFailuresAndCancelledIsIgnored() {
        CircuitBreaker breaker = breaker(Pools.breaker(2, 100, 100, 100, SLOW_CALL, 100,
                Duration.ofSeconds(10), Duration.ofMinutes(5), 3, 100));

        breaker.record(Outcome.response(502, 1_000));
        breaker.record(Outcome.failure(Outcome.Kind.CANCELLED, 1_000));
        breaker.record(Outcome.response(500, 1_000));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);

        breaker.record(Outcome.response(504, 1_000));
        breaker.record(Outcome.failure(Outcome.Kind.CANCELLED, 1_000));
        breaker.record(Outcome.failure(Outcome.Kind.INVALID_RESPONSE, 1_000));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void tripsOnFailureRateOnceMinimumCallsWereSeen() {
        CircuitBreaker breaker = breaker(Pools.breaker(1_000, 50, 10, 10, SLOW_CALL, 100,
                Duration.ofSeconds(10), Duration.ofMinutes(5), 3, 100));

        for (int i = 0; i < 9; i++) {
            breaker.record(i % 2 == 0 ? Outcome.response(200, 1_000) : Outcome.response(502, 1_000));
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);

        breaker.record(Outcome.failure(Outcome.Kind.RESET, 1_000));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void failureRateCountsOnlyTheLastWindowOfCalls() {
        CircuitBreaker breaker = breaker(Pools.breaker(1_000, 50, 10, 10, SLOW_CALL, 100,
                Duration.ofSeconds(10), Duration.ofMinutes(5), 3, 100));

        for (int i = 0; i < 4; i++) {
            breaker.record(Outcome.response(502, 1_000));
        }
        for (int i = 0; i < 10; i++) {
            breaker.record(Outcome.response(200, 1_000));
        }
        // the old failures slid out: 4 of the last 10 would not have tripped at 50% anyway, now 4 of 10 again
        for (int i = 0; i < 4; i++) {
            breaker.record(Outcome.response(502, 1_000));
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);

        breaker.record(Outcome.response(502, 1_000));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void tripsOnSlowCallRate() {
        CircuitBreaker breaker = breaker(Pools.breaker(1_000, 100, 4, 4, SLOW_CALL, 50,
                Duration.ofSeconds(10), Duration.ofMinutes(5), 3, 100));

        breaker.record(Outcome.response(200, FAST.toNanos()));
        breaker.record(Outcome.response(200, FAST.toNanos()));
        breaker.record(Outcome.response(200, Duration.ofSeconds(2).toNanos()));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);

        breaker.record(Outcome.response(200, Duration.ofSeconds(3).toNanos()));

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void anOpenTargetGetsNoTrafficUntilItsOpenDurationHasPassed() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, "client_ip", Pools.targets(1, 1, 1),
                Pools.breaker(2, 100, 100, 100, SLOW_CALL, 100, Duration.ofSeconds(10), Duration.ofMinutes(5), 1, 50),
                UpstreamConfig.AllUnhealthy.FAIL, clock);
        Target failing = pool.targets().get(0);
        for (int i = 0; i < 2; i++) {
            Selection selection = pool.select(Pools.Key.ip("192.0.2.1"), pool.targets().subList(1, 3));
            assertThat(selection.target()).isSameAs(failing);
            selection.complete(Outcome.failure(Outcome.Kind.CONNECT_FAILURE, 1_000));
        }
        assertThat(pool.breaker(failing).state()).isEqualTo(CircuitBreaker.State.OPEN);

        for (int i = 0; i < 30; i++) {
            assertThat(Pools.pickOnce(pool, Pools.Key.ip("192.0.2.1"))).isNotZero();
        }
        // even a retry that already tried the healthy ones does not go to the open target
        Selection retry = pool.select(Pools.Key.ip("192.0.2.1"), pool.targets().subList(1, 3));
        assertThat(retry.target()).isNotSameAs(failing);
        retry.complete(Outcome.response(200, 1_000));

        clock.advance(Duration.ofSeconds(10));
        int toFailing = 0;
        for (int i = 0; i < 6; i++) {
            toFailing += Pools.pickOnce(pool, Pools.Key.ip("192.0.2.1")) == 0 ? 1 : 0;
        }
        assertThat(toFailing).isEqualTo(2);
        assertThat(pool.breaker(failing).state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private CircuitBreaker breaker(CircuitBreakerConfig config) {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, "client_ip", Pools.targets(1, 1), config,
                UpstreamConfig.AllUnhealthy.FAIL, clock);
        return pool.breaker(pool.targets().get(0));
    }

    @Test
    void breakerOfAForeignTargetIsRefused() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, 1, 1);
        Target stranger = new Target(Pools.target(9, 1));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> pool.breaker(stranger))
                .withMessageContaining("expected: a target of pool api");
        assertThat(pool.breaker(pool.targets().get(1)).state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
