package dev.gateway.balancer.targets;

import dev.gateway.config.TargetConfig;
import java.time.Instant;

/**
 * One backend of a pool, with the runtime state strategies and breakers read: active requests and
 * the verdict of active health checks. Both live in the pool's {@link TargetStates}, at the target's
 * index, where strategies scan them without touching this object.
 *
 * <p>The mutators below are public only for the balancer's own packages (the pool and its
 * breakers, strategies and health checks); the proxy and the server only read a target.
 */
public final class Target {

    private final TargetConfig config;
    private final TargetStats stats = new TargetStats();
    /** targets start healthy; only the pool's active health check changes this */
    private volatile TargetHealth health = TargetHealth.initial(Instant.now());
    /**
     * Active requests, the hot-path copy of {@code health.healthy()} and the breaker's closedness,
     * in the pool's {@link TargetStates} at {@link #index}, where strategies scan them
     */
    private final TargetStates states;
    /** position in its pool (a target made outside one has a pool of its own) */
    private final int index;

    public Target(TargetConfig config) {
        this(config, new TargetStates(1), 0);
    }

    /** A target at {@code index} of a pool whose targets share {@code states} (balancer-internal). */
    public Target(TargetConfig config, TargetStates states, int index) {
        this.config = config;
        this.states = states;
        this.index = index;
    }

    public TargetConfig config() {
        return config;
    }

    /** The target's URL as configured, e.g. {@code http://10.0.0.3:8080}; used in logs and metrics. */
    public String url() {
        return config.url();
    }

    public String host() {
        return config.host();
    }

    public int port() {
        return config.port();
    }

    /** Requests sent to this target and not yet finished. */
    public int activeRequests() {
        return states.active(index);
    }

    /** Counts and recent latency of finished attempts (for status). */
    public TargetStats stats() {
        return stats;
    }

    /** False once active health checks marked the target down; always true without a health check. */
    public boolean isHealthy() {
        return (states.word(index) & TargetStates.UNHEALTHY) == 0;
    }

    /** The verdict of active health checks with its reason and times, for status pages and metrics. */
    public TargetHealth health() {
        return health;
    }

    /** Publishes a new verdict of active health checks (balancer-internal: the pool's health check). */
    public void health(TargetHealth next) {
        health = next;
        states.flag(index, TargetStates.UNHEALTHY, !next.healthy());
    }

    /** Called by the target's breaker after each change between closed and not closed (balancer-internal). */
    public void breakerClosed(boolean closed) {
        states.flag(index, TargetStates.BREAKER_NOT_CLOSED, !closed);
    }

    /** The pool's state words this target's are in, at {@link #index()} (balancer-internal: strategies). */
    public TargetStates states() {
        return states;
    }

    /** Position in its pool. */
    public int index() {
        return index;
    }

    /** One more request in flight (balancer-internal: a selection). */
    public void started() {
        states.started(index);
    }

    /** One request fewer in flight (balancer-internal: a selection). */
    public void finished() {
        states.finished(index);
    }

    @Override
    public String toString() {
        return config.url();
    }
}
