package dev.gateway.core.acme;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When to renew and when to retry. A certificate is renewed at two thirds of its lifetime (what
 * Let's Encrypt advises: 30 days before the end of 90), moved by up to 2% of the lifetime either way
 * so that many gateways started together do not renew together. A failed attempt is retried after
 * 1 minute, doubling up to 6 hours, each wait drawn between half and all of it (jitter); the old
 * certificate keeps serving meanwhile.
 */
final class RenewalSchedule {

    static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    static final Duration MAX_RETRY = Duration.ofHours(6);

    private final RandomGenerator random;

    RenewalSchedule(RandomGenerator random) {
        this.random = random;
    }

    Instant renewAt(Instant notBefore, Instant notAfter) {
        long lifetime = Duration.between(notBefore, notAfter).toSeconds();
        long jitter = lifetime / 50;
        long offset = lifetime * 2 / 3 + (jitter == 0 ? 0 : random.nextLong(-jitter, jitter + 1));
        return notBefore.plusSeconds(offset);
    }

    /** The wait before attempt {@code failures + 1}, after {@code failures} failed ones (>= 1). */
    Duration retryAfter(int failures) {
        long max = MAX_RETRY.toMillis();
        long base = FIRST_RETRY.toMillis() << Math.min(failures - 1, 20);
        long wait = Math.min(base, max);
        return Duration.ofMillis(wait / 2 + random.nextLong(wait / 2 + 1));
    }
}
