package dev.gateway.balancer;

import dev.gateway.balancer.strategy.Eligibility;
import dev.gateway.balancer.strategy.Picker;
import dev.gateway.balancer.strategy.RequestKey;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.balancer.targets.TargetStates;
import dev.gateway.config.UpstreamConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The runtime side of an {@code [upstreams.NAME]}: its targets, how one is picked for a request,
 * and what is learned from each attempt's outcome.
 *
 * <p>The configured strategy picks among healthy targets this request has not tried whose breaker
 * admits it; failing that, among tried ones. When no healthy target's breaker admits, {@code all_unhealthy} decides:
 * {@code fail} answers null (503), {@code ignore_health} picks among all targets as if healthy.
 *
 * <p>With a {@code sticky_cookie}, a request whose cookie names a target goes there while that
 * target is healthy, untried by this request and admitted by its breaker; otherwise the strategy
 * picks and the selection carries the {@code Set-Cookie} that re-pins the client.
 */
public final class Pool {

    /** how often a pick is retried when the chosen breaker's last trial permit went to a racing request */
    private static final int ADMIT_ATTEMPTS = 3;

    private final UpstreamConfig config;
    private final List<Target> targets;
    private final CircuitBreaker[] breakers;
    private final Picker picker;
    private final RetryBudget retryBudget;
    /** null without {@code sticky_cookie} */
    private final StickyCookie sticky;
    /** set once a reload replaced or removed this pool; only requests already routed to it still use it */
    private volatile boolean retired;

    public Pool(UpstreamConfig config) {
        this(config, System::nanoTime);
    }

    /** With an injected clock, so breaker timing can be tested without sleeping. */
    public Pool(UpstreamConfig config, LongSupplier nanoTime) {
        this.config = config;
        int size = config.targets().size();
        List<Target> list = new ArrayList<>(size);
        EjectionCap cap = new EjectionCap(size, config.circuitBreaker().maxEjectedPercent());
        TargetStates states = new TargetStates(size);
        this.breakers = new CircuitBreaker[size];
        for (int i = 0; i < size; i++) {
            Target target = new Target(config.targets().get(i), states, i);
            list.add(target);
            breakers[i] = new CircuitBreaker(config.name(), target, config.circuitBreaker(), cap, nanoTime);
        }
        this.targets = List.copyOf(list);
        this.picker = Picker.create(config, new Eligibility(list.toArray(new Target[0]), index -> breakers[index].wouldAdmit()));
        this.retryBudget = RetryBudget.standard();
        this.sticky = config.stickyCookie().map(name -> new StickyCookie(name, targets)).orElse(null);
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
     * Marks this pool as replaced by a reload. Requests already routed to it finish normally (retries
     * included); connection pools stop keeping idle connections for its targets.
     */
    public void retire() {
        retired = true;
    }

    public boolean isRetired() {
        return retired;
    }

    /** The breaker guarding one of this pool's targets (for status and metrics). */
    public CircuitBreaker breaker(Target target) {
        int index = target.index();
        if (index < 0 || index >= targets.size() || targets.get(index) != target) {
            throw new IllegalArgumentException("target: " + target + " (expected: a target of pool " + name() + ")");
        }
        return breakers[index];
    }

    /**
     * Picks a target for one attempt, preferring one this request has not tried yet.
     *
     * @param tried targets earlier attempts of the same request went to (may be empty)
     * @return the selection, or null when no target can take the request (answer 503)
     */
    public Selection select(RequestKey key, List<Target> tried) {
        if (targets.isEmpty()) {
            return null;
        }
        int pinned = -1;
        if (sticky != null) {
            pinned = sticky.indexOf(key.cookie(sticky.name()));
            if (pinned >= 0 && pinnedTargetTakes(pinned, tried)) {
                return new Selection(this, targets.get(pinned), null);
            }
        }
        for (int attempt = 0; attempt < ADMIT_ATTEMPTS; attempt++) {
            int index = picker.pick(key, tried, Eligibility.SKIP_TRIED | Eligibility.CHECK_BREAKER);
            if (index < 0) {
                index = picker.pick(key, tried, Eligibility.CHECK_BREAKER);
            }
            if (index < 0) {
                break;
            }
            if (breakers[index].tryAdmit()) {
                return selection(index, pinned);
            }
        }
        if (config.allUnhealthy() == UpstreamConfig.AllUnhealthy.FAIL) {
            return null;
        }
        int index = picker.pick(key, tried, Eligibility.SKIP_TRIED);
        if (index < 0) {
            index = picker.pick(key, tried, 0);
        }
        return index < 0 ? null : selection(index, pinned);
    }

    private boolean pinnedTargetTakes(int index, List<Target> tried) {
        Target target = targets.get(index);
        return target.isHealthy() && (tried.isEmpty() || !tried.contains(target)) && breakers[index].tryAdmit();
    }

    /** A selection of the picked target, re-pinning the client when the pool is sticky and it moved. */
    private Selection selection(int index, int pinned) {
        String setCookie = sticky == null || index == pinned ? null : sticky.setCookie(index);
        return new Selection(this, targets.get(index), setCookie);
    }

    public void record(Target target, Outcome outcome) {
        int index = target.index();
        if (index < 0 || index >= breakers.length || targets.get(index) != target) {
            return;
        }
        breakers[index].record(outcome);
        picker.record(index, outcome);
        target.stats().record(outcome);
    }
}
