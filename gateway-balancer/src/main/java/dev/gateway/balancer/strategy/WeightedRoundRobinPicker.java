package dev.gateway.balancer.strategy;

import dev.gateway.balancer.targets.Target;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Smooth weighted round robin (nginx's algorithm): weights 5, 1, 1 give a a b a c a a rather than a
 * burst of five. The whole cycle is computed once at construction, so a pick is one atomic
 * increment and an array read; a target that cannot be picked is passed over by walking on along
 * the cycle, which keeps the others' proportions.
 */
final class WeightedRoundRobinPicker implements Picker {

    private final Eligibility eligibility;
    private final int[] cycle;
    private final AtomicInteger next = new AtomicInteger();

    WeightedRoundRobinPicker(Eligibility eligibility) {
        this.eligibility = eligibility;
        this.cycle = smoothCycle(eligibility);
    }

    @Override
    public int pick(RequestKey key, List<Target> tried, int mode) {
        int length = cycle.length;
        if (length == 0) {
            return -1;
        }
        int start = Math.floorMod(next.getAndIncrement(), length);
        for (int i = 0; i < length; i++) {
            int position = start + i < length ? start + i : start + i - length;
            int index = cycle[position];
            if (eligibility.accepts(index, tried, mode)) {
                return index;
            }
        }
        next.getAndDecrement(); // a pick that found nothing does not use up a turn
        return -1;
    }

    /** One full period of nginx's selection, with the weights reduced by their common divisor. */
    private static int[] smoothCycle(Eligibility eligibility) {
        int size = eligibility.size();
        int divisor = 0;
        for (int i = 0; i < size; i++) {
            divisor = gcd(divisor, eligibility.weight(i));
        }
        int[] weights = new int[size];
        int total = 0;
        for (int i = 0; i < size; i++) {
            weights[i] = eligibility.weight(i) / divisor;
            total += weights[i];
        }
        int[] cycle = new int[total];
        long[] current = new long[size];
        for (int step = 0; step < total; step++) {
            int best = -1;
            for (int i = 0; i < size; i++) {
                current[i] += weights[i];
                if (best < 0 || current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            cycle[step] = best;
        }
        return cycle;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
