package dev.gateway.balancer.strategy;

import dev.gateway.balancer.targets.Target;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Weighted random. The fast path draws over the precomputed cumulative weights; when the drawn
 * target cannot be picked, a second draw is made over the acceptable targets' weights only.
 */
final class RandomPicker implements Picker {

    private final Eligibility eligibility;
    /** cumulative[i] is the sum of the weights of targets 0..i */
    private final long[] cumulative;

    RandomPicker(Eligibility eligibility) {
        this.eligibility = eligibility;
        this.cumulative = new long[eligibility.size()];
        long sum = 0;
        for (int i = 0; i < cumulative.length; i++) {
            sum += eligibility.weight(i);
            cumulative[i] = sum;
        }
    }

    @Override
    public int pick(RequestKey key, List<Target> tried, int mode) {
        int size = cumulative.length;
        if (size == 0) {
            return -1;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int drawn = indexOf(random.nextLong(cumulative[size - 1]));
        if (eligibility.accepts(drawn, tried, mode)) {
            return drawn;
        }
        long acceptable = 0;
        for (int i = 0; i < size; i++) {
            if (eligibility.accepts(i, tried, mode)) {
                acceptable += eligibility.weight(i);
            }
        }
        if (acceptable == 0) {
            return -1;
        }
        long point = random.nextLong(acceptable);
        for (int i = 0; i < size; i++) {
            if (eligibility.accepts(i, tried, mode)) {
                point -= eligibility.weight(i);
                if (point < 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The first index whose cumulative weight exceeds {@code point}. */
    private int indexOf(long point) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulative[middle] > point) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }
}
