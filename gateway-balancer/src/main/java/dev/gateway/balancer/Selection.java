package dev.gateway.balancer;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;

/**
 * A target handed out for one attempt. The caller must call {@link #complete(Outcome)} exactly once
 * (active-request counts, breaker permits and latency statistics depend on it).
 */
public final class Selection {

    private final Pool pool;
    private final Target target;
    private final String setCookie;
    private boolean completed;

    Selection(Pool pool, Target target, String setCookie) {
        this.pool = pool;
        this.target = target;
        this.setCookie = setCookie;
        target.started();
    }

    public Target target() {
        return target;
    }

    /**
     * The {@code Set-Cookie} value to add to the response so the client sticks to this target, or
     * null when the pool is not sticky or the request's cookie already names this target.
     */
    public String setCookie() {
        return setCookie;
    }

    /** Reports the attempt's result; later calls are ignored. */
    public void complete(Outcome outcome) {
        if (completed) {
            return;
        }
        completed = true;
        target.finished();
        pool.record(target, outcome);
    }

    /**
     * Keeps the target counting this attempt as an active request after {@link #complete}: for a
     * connection that outlives its request (a WebSocket after its 101), so least_connections
     * balances open connections the way HAProxy's leastconn does. Run the returned handle exactly
     * once, when that connection closes.
     */
    public Runnable holdActive() {
        target.started();
        return target::finished;
    }
}
