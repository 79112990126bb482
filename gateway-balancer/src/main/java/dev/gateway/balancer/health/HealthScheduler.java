package dev.gateway.balancer.health;

import java.time.Duration;

/**
 * Where health checks are timed: an event loop in the server, a hand-driven fake in tests.
 * Kept this small so the balancer needs no Netty.
 */
@FunctionalInterface
public interface HealthScheduler {

    /** Runs {@code task} once after {@code delay}; the returned handle cancels it if not yet run. */
    Runnable schedule(Runnable task, Duration delay);
}
