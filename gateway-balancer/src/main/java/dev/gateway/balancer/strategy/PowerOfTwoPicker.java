package dev.gateway.balancer.strategy;

import dev.gateway.balancer.targets.Target;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two choices: two distinct random targets, the one with fewer active requests wins (ties:
 * the first drawn). Nearly as good as least connections, without scanning the whole pool.
 */
final class PowerOfTwoPicker implements Picker {

    private final Eligibility eligibility;

    PowerOfTwoPicker(Eligibility eligibility) {
        this.eligibility = eligibility;
    }

    @Override
    public int pick(RequestKey key, List<Target> tried, int mode) {
        int size = eligibility.size();
        if (size == 0) {
            return -1;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int first = eligibility.firstFrom(random.nextInt(size), tried, mode);
        if (first < 0 || size == 1) {
            return first;
        }
        // a distinct second choice: start anywhere but at the first, and walk past it if needed
        int start = first + 1 + random.nextInt(size - 1);
        int second = eligibility.firstFrom(start < size ? start : start - size, tried, mode);
        if (second < 0 || second == first) {
            return first;
        }
        return eligibility.active(second) < eligibility.active(first) ? second : first;
    }
}
