package dev.gateway.balancer;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lowest expected wait: an exponentially decaying average of each target's response latency times
 * (active requests + 1), divided by weight. A target without a measured response yet scores zero,
 * so new targets are tried first. Only complete responses feed the average; failures are the
 * breaker's business (a fast "connection refused" must not make a target look quick).
 *
 * <p>Like {@link LeastConnectionsPicker}, the scan is exact over contiguous arrays, compares scores
 * by cross-multiplying instead of dividing, and asks whether a target may be picked only when it
 * would beat the best so far.
 */
final class LeastResponseTimePicker implements Picker {

    /** each sample moves the average 1/8 of the way (about the last 8 to 16 responses count) */
    private static final int DECAY_SHIFT = 3;

    private final Eligibility eligibility;
    /** decayed average latency in nanos per target; 0 = no sample yet */
    private final AtomicLongArray averages;
    private final AtomicInteger next = new AtomicInteger();

    LeastResponseTimePicker(Eligibility eligibility) {
        this.eligibility = eligibility;
        this.averages = new AtomicLongArray(eligibility.size());
    }

    @Override
    public int pick(RequestKey key, List<Target> tried, int mode) {
        int size = eligibility.size();
        if (size == 0) {
            return -1;
        }
        int start = Math.floorMod(next.getAndIncrement(), size);
        int best = -1;
        double bestWait = 0;
        double bestWeight = 1;
        for (int i = 0; i < size; i++) {
            int index = start + i < size ? start + i : start + i - size;
            // doubles: latency x active requests can overflow a long's exact range when multiplied by a weight
            double wait = (double) averages.getOpaque(index) * (eligibility.active(index) + 1);
            double weight = eligibility.weight(index);
            // wait / weight < bestWait / bestWeight, without division
            if ((best < 0 || wait * bestWeight < bestWait * weight) && eligibility.accepts(index, tried, mode)) {
                best = index;
                bestWait = wait;
                bestWeight = weight;
            }
        }
        return best;
    }

    @Override
    public void record(int index, Outcome outcome) {
        if (outcome.kind() != Outcome.Kind.RESPONSE) {
            return;
        }
        long sample = Math.max(1, outcome.latencyNanos());
        while (true) {
            long current = averages.get(index);
            long updated = current == 0 ? sample : current + ((sample - current) >> DECAY_SHIFT);
            if (averages.compareAndSet(index, current, Math.max(1, updated))) {
                return;
            }
        }
    }
}
