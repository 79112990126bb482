package dev.gateway.proxy;

import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;

/**
 * What the proxy reports about its upstream attempts, for metrics (implemented by the server
 * core, which owns them). Called on the client connection's event loop: implementations must be
 * cheap and must not block.
 */
public interface UpstreamObserver {

    /** Observes nothing. */
    UpstreamObserver NONE = new UpstreamObserver() {
    };

    /** One attempt at {@code target} ended; reported exactly once per attempt, with what the balancer was told. */
    default void attemptCompleted(Pool pool, Target target, Outcome outcome) {
    }

    /** A failed attempt is being tried again, on a fresh connection or another target. */
    default void retrying(Pool pool) {
    }
}
