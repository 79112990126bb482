package dev.gateway.balancer.targets;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the status page shows of a target's recent traffic: finished attempts, failed ones, and a
 * decaying average of response latency. Updated once per attempt from any event loop without
 * locks; the average is last-writer-wins, which is exact enough for an operator's glance.
 */
public final class TargetStats {

    /** each sample moves the average 1/8 of the way, like {@link LeastResponseTimePicker} */
    private static final int DECAY_SHIFT = 3;

    private final LongAdder attempts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile long averageLatencyNanos;

    public void record(Outcome outcome) {
        if (outcome.kind() == Outcome.Kind.CANCELLED) {
            return;
        }
        attempts.increment();
        if (outcome.kind() != Outcome.Kind.RESPONSE) {
            failures.increment();
            return;
        }
        long sample = Math.max(1, outcome.latencyNanos());
        long current = averageLatencyNanos;
        averageLatencyNanos = current == 0 ? sample : Math.max(1, current + ((sample - current) >> DECAY_SHIFT));
    }

    /** Attempts that ended with a response or a failure (cancelled ones are not counted). */
    public long attempts() {
        return attempts.sum();
    }

    /** Attempts that got no usable response: connect failure or timeout, reset, timeout, invalid response. */
    public long failures() {
        return failures.sum();
    }

    /** Decaying average of recent response latencies, 0 before the first response. */
    public long averageLatencyNanos() {
        return averageLatencyNanos;
    }
}
