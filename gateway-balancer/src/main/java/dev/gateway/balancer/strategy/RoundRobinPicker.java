package dev.gateway.balancer.strategy;

import dev.gateway.balancer.targets.Target;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Strict rotation: each pick starts one further along and takes the first acceptable target. */
final class RoundRobinPicker implements Picker {

    private final Eligibility eligibility;
    private final AtomicInteger next = new AtomicInteger();

    RoundRobinPicker(Eligibility eligibility) {
        this.eligibility = eligibility;
    }

    @Override
    public int pick(RequestKey key, List<Target> tried, int mode) {
        int start = Math.floorMod(next.getAndIncrement(), eligibility.size());
        int index = eligibility.firstFrom(start, tried, mode);
        if (index < 0) {
            next.getAndDecrement(); // a pick that found nothing does not use up a turn
        }
        return index;
    }
}
