package dev.gateway.balancer;

import dev.gateway.config.TargetConfig;
import dev.gateway.config.UpstreamConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime side of an {@code [upstreams.NAME]}: its targets, how one is picked for a request,
 * and what is learned from each attempt's outcome.
 *
 * <p>Selection is round robin over the targets not yet tried by this request; strategies, health
 * checks and circuit breakers plug in behind {@link #select} and {@link #record}.
 */
public final class Pool {

    private final UpstreamConfig config;
    private final List<Target> targets;
    private final RetryBudget retryBudget;
    private final AtomicInteger next = new AtomicInteger();

    public Pool(UpstreamConfig config) {
        this.config = config;
        List<Target> list = new ArrayList<>(config.targets().size());
        for (TargetConfig target : config.targets()) {
            list.add(new Target(target));
        }
        this.targets = List.copyOf(list);
        this.retryBudget = RetryBudget.standard();
    }

    public String name() {
        return config.name();
    }

    public UpstreamConfig config() {
        return config;
    }

    public List<Target> targets() {
        return targets;
    }

    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /**
     * Picks a target for one attempt, preferring one this request has not tried yet.
     *
     * @param tried targets earlier attempts of the same request went to (may be empty)
     * @return the selection, or null when no target can take the request (answer 503)
     */
    public Selection select(RequestKey key, List<Target> tried) {
        int size = targets.size();
        if (size == 0) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            Target candidate = targets.get((start + i) % size);
            if (!tried.contains(candidate)) {
                return new Selection(this, candidate);
            }
        }
        return new Selection(this, targets.get(start));
    }

    void record(Target target, Outcome outcome) {
        // Strategies, breakers and metrics learn from outcomes here (load-balancing issue).
    }
}
