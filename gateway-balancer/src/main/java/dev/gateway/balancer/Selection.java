package dev.gateway.balancer;

/**
 * A target handed out for one attempt. The caller must call {@link #complete(Outcome)} exactly once
 * (active-request counts, breaker permits and latency statistics depend on it).
 */
public final class Selection {

    private final Pool pool;
    private final Target target;
    private boolean completed;

    Selection(Pool pool, Target target) {
        this.pool = pool;
        this.target = target;
        target.started();
    }

    public Target target() {
        return target;
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
}
