package dev.gateway.balancer.strategy;

import dev.gateway.balancer.targets.Target;
import dev.gateway.balancer.targets.TargetStates;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Which targets a strategy may pick for one attempt: those not yet tried by the request and those
 * healthy and whose breaker would admit a request, as the {@code mode} flags ask. Shared by every strategy so
 * the rules live in one place.
 *
 * <p>Reads go to the pool's {@link TargetStates} and a weight array, both contiguous; only a target
 * whose breaker is not closed costs a look at the breaker itself.
 */
public final class Eligibility {

    /** skip targets earlier attempts of the request went to */
    public static final int SKIP_TRIED = 1;
    /** skip targets marked unhealthy by active checks or whose breaker would not admit a request now */
    public static final int CHECK_BREAKER = 2;

    private final Target[] targets;
    /** whether the breaker of the target at an index would admit a request now; asked only when it is not closed */
    private final IntPredicate breakerAdmits;
    private final TargetStates states;
    /** configured weights, at least 1 */
    private final int[] weights;

    /** @param targets a pool's targets in order, so they share its {@link TargetStates} at their index */
    public Eligibility(Target[] targets, IntPredicate breakerAdmits) {
        this.targets = targets;
        this.breakerAdmits = breakerAdmits;
        this.states = targets.length == 0 ? new TargetStates(0) : targets[0].states();
        this.weights = new int[targets.length];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i].states() != states || targets[i].index() != i) {
                throw new IllegalArgumentException("target " + i + ": " + targets[i] + " (expected: the pool's target "
                        + i + ")");
            }
            weights[i] = Math.max(1, targets[i].config().weight());
        }
    }

    int size() {
        return targets.length;
    }

    Target target(int index) {
        return targets[index];
    }

    TargetStates states() {
        return states;
    }

    int weight(int index) {
        return weights[index];
    }

    /** The least common multiple of the weights, or -1 when it is over {@code max}. */
    long weightLcm(long max) {
        long lcm = 1;
        for (int weight : weights) {
            long gcd = lcm;
            for (long b = weight; b != 0; ) {
                long rest = gcd % b;
                gcd = b;
                b = rest;
            }
            lcm = lcm / gcd * weight;
            if (lcm > max) {
                return -1;
            }
        }
        return lcm;
    }

    int active(int index) {
        return states.scanWord(index) & TargetStates.ACTIVE;
    }

    boolean accepts(int index, List<Target> tried, int mode) {
        if ((mode & SKIP_TRIED) != 0 && !tried.isEmpty() && tried.contains(targets[index])) {
            return false;
        }
        if ((mode & CHECK_BREAKER) == 0) {
            return true;
        }
        int word = states.scanWord(index);
        return (word & TargetStates.UNHEALTHY) == 0
                && ((word & TargetStates.BREAKER_NOT_CLOSED) == 0 || breakerAdmits.test(index));
    }

    /** The first acceptable index at or after {@code start}, wrapping around, or -1. */
    int firstFrom(int start, List<Target> tried, int mode) {
        int size = targets.length;
        for (int i = 0; i < size; i++) {
            int index = start + i < size ? start + i : start + i - size;
            if (accepts(index, tried, mode)) {
                return index;
            }
        }
        return -1;
    }
}
