package dev.gateway.core.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket of {@code burst} tokens refilled at one token per {@code interval}, kept as the
 * generic cell rate algorithm does: one number per bucket, its "theoretical arrival time" (TAT), the
 * instant at which the bucket would be full again. A request is admitted when, after taking its
 * token, the bucket's debt ({@code TAT - now}) is at most {@code burst} intervals. A TAT at or before
 * now is a full bucket, so a new bucket starts at {@code now}.
 *
 * <p>One compare-and-set per admission, no lock, no allocation. Times are {@link System#nanoTime}
 * values and are only ever compared by subtraction, so the clock's origin does not matter.
 */
final class Gcra {

    /** Debts are capped here so that {@code TAT - now} can never overflow. */
    private static final long MAX_TOLERANCE = Long.MAX_VALUE / 4;

    private final long intervalNanos;
    private final long toleranceNanos;

    /**
     * @param rate tokens added per {@code per}; the interval between tokens is rounded to whole
     *     nanoseconds (at least 1, so more than a billion per second is effectively unlimited)
     */
    Gcra(long rate, Duration per, long burst) {
        if (rate <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate " + rate + ", burst " + burst + " (expected: > 0)");
        }
        long perNanos = per.toNanos();
        this.intervalNanos = Math.max(1, perNanos / rate + (perNanos % rate >= rate - perNanos % rate ? 1 : 0));
        this.toleranceNanos = burst > MAX_TOLERANCE / intervalNanos ? MAX_TOLERANCE : burst * intervalNanos;
    }

    /**
     * Takes one token from {@code bucket} if it has one.
     *
     * @return 0 when admitted, else how long until a token is available (nanoseconds, &gt; 0)
     */
    long acquire(AtomicLong bucket, long now) {
        while (true) {
            long tat = bucket.get();
            long next = (tat - now > 0 ? tat : now) + intervalNanos;
            long debt = next - now;
            if (debt > toleranceNanos) {
                return debt - toleranceNanos;
            }
            if (bucket.compareAndSet(tat, next)) {
                return 0;
            }
        }
    }
}
