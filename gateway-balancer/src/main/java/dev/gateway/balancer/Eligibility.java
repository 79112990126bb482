package dev.gateway.balancer;

import java.util.List;

/**
 * Which targets a strategy may pick for one attempt: those not yet tried by the request and those
 * healthy and whose breaker would admit a request, as the {@code mode} flags ask. Shared by every strategy so
 * the rules live in one place.
 */
final class Eligibility {

    /** skip targets earlier attempts of the request went to */
    static final int SKIP_TRIED = 1;
    /** skip targets marked unhealthy by active checks or whose breaker would not admit a request now */
    static final int CHECK_BREAKER = 2;

    private final Target[] targets;
    private final CircuitBreaker[] breakers;

    Eligibility(Target[] targets, CircuitBreaker[] breakers) {
        this.targets = targets;
        this.breakers = breakers;
    }

    int size() {
        return targets.length;
    }

    Target target(int index) {
        return targets[index];
    }

    int weight(int index) {
        return Math.max(1, targets[index].config().weight());
    }

    int active(int index) {
        return targets[index].activeRequests();
    }

    boolean accepts(int index, List<Target> tried, int mode) {
        if ((mode & SKIP_TRIED) != 0 && !tried.isEmpty() && tried.contains(targets[index])) {
            return false;
        }
        return (mode & CHECK_BREAKER) == 0 || targets[index].isHealthy() && breakers[index].wouldAdmit();
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
