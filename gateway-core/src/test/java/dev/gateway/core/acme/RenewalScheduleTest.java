package dev.gateway.core.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Renewal at two thirds of the lifetime with a little jitter; retries doubling from 1 minute to 6 hours, jittered. */
class RenewalScheduleTest {

    private final RenewalSchedule schedule = new RenewalSchedule(new Random(42));

    @Test
    void renewsAtTwoThirdsOfTheLifetimeGiveOrTakeTwoPercent() {
        Instant notBefore = Instant.parse("2026-01-01T00:00:00Z");
        Instant notAfter = notBefore.plus(Duration.ofDays(90));
        for (int i = 0; i < 1000; i++) {
            Instant at = schedule.renewAt(notBefore, notAfter);
            assertThat(at).isBetween(notBefore.plus(Duration.ofDays(60)).minus(Duration.ofHours(44)),
                    notBefore.plus(Duration.ofDays(60)).plus(Duration.ofHours(44)));
        }
    }

    @Test
    void retriesBackOffWithJitterUpToSixHours() {
        for (int failures = 1; failures < 30; failures++) {
            long full = Math.min(Duration.ofMinutes(1).toMillis() << Math.min(failures - 1, 20),
                    Duration.ofHours(6).toMillis());
            Duration wait = schedule.retryAfter(failures);
            assertThat(wait.toMillis()).isBetween(full / 2, full);
        }
        assertThat(schedule.retryAfter(1)).isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(schedule.retryAfter(25)).isLessThanOrEqualTo(Duration.ofHours(6));
    }
}
