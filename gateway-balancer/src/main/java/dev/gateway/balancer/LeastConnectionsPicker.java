package dev.gateway.balancer;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fewest active requests relative to weight. The scan starts one further along on each pick, so
 * among equally loaded targets the first one found rotates and an idle pool is spread round robin.
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
        int start = Math.floorMod(next.getAndIncrement(), size);
        int best = -1;
        long bestActive = 0;
        long bestWeight = 1;
        for (int i = 0; i < size; i++) {
            int index = start + i < size ? start + i : start + i - size;
            if (!eligibility.accepts(index, tried, mode)) {
                continue;
            }
            long active = eligibility.active(index);
            long weight = eligibility.weight(index);
            // active / weight < bestActive / bestWeight, without division
            if (best < 0 || active * bestWeight < bestActive * weight) {
                best = index;
                bestActive = active;
                bestWeight = weight;
            }
        }
        return best;
    }
}
