package dev.gateway.balancer.health;

import dev.gateway.balancer.targets.ProbeResult;
import dev.gateway.balancer.targets.Target;
import java.util.function.Consumer;

/**
 * One active check of one target (an HTTP GET, a TCP connect, a WebSocket ping...). The balancer
 * only needs pass or fail and a reason for the log; how the check talks to the target lives in the
 * proxy module.
 */
@FunctionalInterface
public interface HealthProbe {

    /**
     * Starts a check without blocking and calls {@code done} exactly once with its result, on any
     * thread, within the configured timeout.
     */
    void probe(Target target, Consumer<ProbeResult> done);
}
