package dev.gateway.balancer;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fewest active requests relative to weight. The scan starts one further along on each pick, so
 * among equally loaded targets the first one found rotates and an idle pool is spread round robin.
 *
 * <p>The scan is exact and reads only the pool's contiguous counters and weights; whether a target
 * may be picked is asked only of one that would beat the best so far, which gives the same answer
 * as filtering first (a target that would not win does not matter either way) at a fraction of the
 * cost.
 */
final class LeastConnectionsPicker implements Picker {

    private final Eligibility eligibility;
    private final AtomicInteger next = new AtomicInteger();

    LeastConnectionsPicker(Eligibility eligibility) {
        this.eligibility = eligibility;
    }

    @Override
    public int pick(RequestKey key, List<Target> tried, int mode) {
        int size = eligibility.size();
        if (size == 0) {
            return -1;
        }
        int start = Math.floorMod(next.getAndIncrement(), size);
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
}
