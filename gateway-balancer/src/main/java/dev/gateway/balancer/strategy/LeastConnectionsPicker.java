package dev.gateway.balancer.strategy;

import dev.gateway.balancer.targets.Target;
import dev.gateway.balancer.targets.TargetStates;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fewest active requests relative to weight. The scan starts one further along on each pick, so
 * among equally loaded targets the first one found rotates and an idle pool is spread round robin.
 *
 * <p>Exact, and fast at a hundred targets: one pass finds the least load, reading only the pool's
 * contiguous counters, with load as an integer ({@code active x lcm(weights) / weight}, so no
 * division and no fractions); a second finds the first target with that load in rotation order.
 * When that target may not be picked (tried, or its breaker not closed), or the weights are too
 * varied for the integer form, a full scan decides that asks whether a target may be picked only
 * of one that would beat the best so far: the same answer as filtering first, at a fraction of the
 * cost. The price of exactness: while an ejected target is the least loaded one (it gets no
 * traffic, so it soon is), every pick pays for both, about twice an ordinary pick.
 */
final class LeastConnectionsPicker implements Picker {

    /** largest lcm(weights) for which active x lcm stays below 2^61 */
    private static final long MAX_LCM = 1L << 32;
    /** moves the UNHEALTHY flag (2^30) to 2^62 */
    private static final int EXCLUDED_SHIFT = 32;
    private static final long EXCLUDED_LOAD = 1L << 62;

    private final Eligibility eligibility;
    private final TargetStates states;
    /** lcm(weights) / weight per target, or null when the lcm is too large */
    private final long[] loadFactors;
    private final AtomicInteger next = new AtomicInteger();

    LeastConnectionsPicker(Eligibility eligibility) {
        this.eligibility = eligibility;
        this.states = eligibility.states();
        this.loadFactors = loadFactors(eligibility);
    }

    @Override
    public int pick(RequestKey key, List<Target> tried, int mode) {
        int size = eligibility.size();
        if (size == 0) {
            return -1;
        }
        int start = Math.floorMod(next.getAndIncrement(), size);
        if (loadFactors != null) {
            int index = leastLoaded(start, (mode & Eligibility.CHECK_BREAKER) != 0 ? TargetStates.UNHEALTHY : 0);
            if (index >= 0 && eligibility.accepts(index, tried, mode)) {
                return index;
            }
        }
        return fullScan(start, tried, mode);
    }

    /**
     * The first target from {@code start} on (wrapping) with the least load among those without
     * an {@code excluded} flag, or -1. Loops without calls or branches on data, which the JIT unrolls.
     */
    private int leastLoaded(int start, int excluded) {
        int[] words = states.words();
        long[] factors = loadFactors;
        int size = factors.length;
        long least = Long.MAX_VALUE;
        for (int index = 0; index < size; index++) {
            least = Math.min(least, load(words[index], factors[index], excluded));
        }
        if (least >= EXCLUDED_LOAD) {
            return -1;
        }
        for (int index = start, end = size; ; index = 0, end = start) {
            for (; index < end; index++) {
                if (load(words[index], factors[index], excluded) == least) {
                    return index;
                }
            }
            if (end == start) {
                return -1; // counters moved between the loops; the full scan decides
            }
        }
    }

    /**
     * Active requests x lcm / weight, below 2^61; an excluded target's is 2^62 or more (the flag
     * moved up), so it is never the least unless all are.
     */
    private static long load(int word, long factor, int excluded) {
        return (word & TargetStates.ACTIVE) * factor + ((long) (word & excluded) << EXCLUDED_SHIFT);
    }

    private int fullScan(int start, List<Target> tried, int mode) {
        int size = eligibility.size();
        int best = -1;
        long bestActive = 0;
        long bestWeight = 1;
        for (int i = 0; i < size; i++) {
            int index = start + i < size ? start + i : start + i - size;
            long active = eligibility.active(index);
            long weight = eligibility.weight(index);
            // active / weight < bestActive / bestWeight, without division
            if ((best < 0 || active * bestWeight < bestActive * weight) && eligibility.accepts(index, tried, mode)) {
                best = index;
                bestActive = active;
                bestWeight = weight;
            }
        }
        return best;
    }

    private static long[] loadFactors(Eligibility eligibility) {
        long lcm = eligibility.weightLcm(MAX_LCM);
        if (lcm < 0) {
            return null;
        }
        long[] factors = new long[eligibility.size()];
        for (int i = 0; i < factors.length; i++) {
            factors[i] = lcm / eligibility.weight(i);
        }
        return factors;
    }
}
