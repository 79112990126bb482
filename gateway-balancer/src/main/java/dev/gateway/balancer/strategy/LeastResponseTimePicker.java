package dev.gateway.balancer.strategy;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.balancer.targets.TargetStates;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lowest expected wait: an exponentially decaying average of each target's response latency times
 * (active requests + 1), divided by weight. A target without a measured response yet scores zero,
 * so new targets are tried first. Only complete responses feed the average; failures are the
 * breaker's business (a fast "connection refused" must not make a target look quick).
 *
 * <p>Picks the way {@link LeastConnectionsPicker} does (one pass for the least wait, one for the
 * first target with it in rotation order, a full scan when that one may not be picked), with the
 * wait as {@code average x (active + 1) x lcm(weights) / weight} in a double, so no division.
 */
final class LeastResponseTimePicker implements Picker {

    /** each sample moves the average 1/8 of the way (about the last 8 to 16 responses count) */
    private static final int DECAY_SHIFT = 3;
    private static final VarHandle AVERAGES = MethodHandles.arrayElementVarHandle(long[].class);

    private final Eligibility eligibility;
    private final TargetStates states;
    /** decayed average latency in nanos per target; 0 = no sample yet */
    private final long[] averages;
    /** lcm(weights) / weight per target */
    private final double[] waitFactors;
    private final AtomicInteger next = new AtomicInteger();

    LeastResponseTimePicker(Eligibility eligibility) {
        this.eligibility = eligibility;
        this.states = eligibility.states();
        this.averages = new long[eligibility.size()];
        this.waitFactors = new double[eligibility.size()];
        // exact integers while the lcm is small enough for a double's 53 bits to hold the products,
        // else 1 / weight (a tie may then be missed by a rounding)
        long lcm = eligibility.weightLcm(1L << 24);
        for (int i = 0; i < waitFactors.length; i++) {
            waitFactors[i] = lcm > 0 ? lcm / eligibility.weight(i) : 1.0 / eligibility.weight(i);
        }
    }

    @Override
    public int pick(RequestKey key, List<Target> tried, int mode) {
        int size = eligibility.size();
        if (size == 0) {
            return -1;
        }
        int start = Math.floorMod(next.getAndIncrement(), size);
        int index = leastWait(start, (mode & Eligibility.CHECK_BREAKER) != 0 ? TargetStates.UNHEALTHY : 0);
        if (index >= 0 && eligibility.accepts(index, tried, mode)) {
            return index;
        }
        return fullScan(start, tried, mode);
    }

    /**
     * The first target from {@code start} on (wrapping) with the least wait among those without an
     * {@code excluded} flag, or -1.
     */
    private int leastWait(int start, int excluded) {
        int[] words = states.words();
        int size = waitFactors.length;
        double least = Double.POSITIVE_INFINITY;
        for (int index = 0; index < size; index++) {
            double wait = wait(words[index], averages[index], waitFactors[index], excluded);
            least = wait < least ? wait : least; // no NaN or -0.0 here, so not Math.min's slower rules
        }
        if (least == Double.POSITIVE_INFINITY) {
            return -1;
        }
        for (int index = start, end = size; ; index = 0, end = start) {
            for (; index < end; index++) {
                if (wait(words[index], averages[index], waitFactors[index], excluded) == least) {
                    return index;
                }
            }
            if (end == start) {
                return -1; // counters moved between the loops; the full scan decides
            }
        }
    }

    /** Average x (active + 1) x lcm / weight; infinite for an excluded target. */
    private static double wait(int word, long average, double factor, int excluded) {
        return (word & excluded) != 0
                ? Double.POSITIVE_INFINITY
                : (double) average * ((word & TargetStates.ACTIVE) + 1) * factor;
    }

    private int fullScan(int start, List<Target> tried, int mode) {
        int size = eligibility.size();
        int best = -1;
        double bestWait = 0;
        double bestWeight = 1;
        for (int i = 0; i < size; i++) {
            int index = start + i < size ? start + i : start + i - size;
            double wait = (double) averages[index] * (eligibility.active(index) + 1);
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
            long current = (long) AVERAGES.getVolatile(averages, index);
            long updated = current == 0 ? sample : current + ((sample - current) >> DECAY_SHIFT);
            if (AVERAGES.compareAndSet(averages, index, current, Math.max(1, updated))) {
                return;
            }
        }
    }
}
