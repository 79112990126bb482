package dev.gateway.config;

import java.time.Duration;
import java.util.Set;

/** {@code [upstreams.NAME.circuit_breaker]}: per-target passive breaker fed by real traffic. */
public record CircuitBreakerConfig(
        int consecutiveFailures,
        int failureRate,
        int window,
        int minimumCalls,
        Duration slowCallDuration,
        int slowCallRate,
        Duration openDuration,
        Duration maxOpenDuration,
        int halfOpenRequests,
        int maxEjectedPercent,
        Set<Integer> failureStatuses) {

    public CircuitBreakerConfig {
        failureStatuses = Set.copyOf(failureStatuses);
    }
}
