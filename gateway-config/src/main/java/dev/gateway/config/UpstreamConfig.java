package dev.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code [upstreams.NAME]} (or a route's inline {@code targets} with every default).
 *
 * @param hashKey consistent_hash key: "client_ip", "header:NAME", "cookie:NAME" or "path"
 * @param maxIdlePerTarget idle keep-alive connections kept per target per event loop
 * @param healthCheck active checks; empty means none (targets are judged by their breakers only)
 * @param tls how {@code https://} targets are spoken to (requests and health checks)
 */
public record UpstreamConfig(
        String name,
        List<TargetConfig> targets,
        Strategy strategy,
        String hashKey,
        Optional<String> stickyCookie,
        Duration connectTimeout,
        int maxIdlePerTarget,
        Duration poolIdleTimeout,
        int maxRequestsPerConnection,
        AllUnhealthy allUnhealthy,
        Optional<HealthCheckConfig> healthCheck,
        CircuitBreakerConfig circuitBreaker,
        UpstreamTlsConfig tls) {

    public UpstreamConfig {
        targets = List.copyOf(targets);
    }

    /** What a pool does when no target is usable. */
    public enum AllUnhealthy {
        /** answer 503 with Retry-After */
        FAIL,
        /** spread over all targets as if they were healthy (panic mode) */
        IGNORE_HEALTH
    }
}
