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
 * @param protocol how requests reach the targets: HTTP/1.1, or HTTP/2 over TLS or cleartext
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
        Protocol protocol,
        UpstreamTlsConfig tls) {

    public UpstreamConfig {
        targets = List.copyOf(targets);
    }

    /** An HTTP/1.1 pool with the default {@code tls}. */
    public UpstreamConfig(String name, List<TargetConfig> targets, Strategy strategy, String hashKey,
                          Optional<String> stickyCookie, Duration connectTimeout, int maxIdlePerTarget,
                          Duration poolIdleTimeout, int maxRequestsPerConnection, AllUnhealthy allUnhealthy,
                          Optional<HealthCheckConfig> healthCheck, CircuitBreakerConfig circuitBreaker) {
        this(name, targets, strategy, hashKey, stickyCookie, connectTimeout, maxIdlePerTarget, poolIdleTimeout,
                maxRequestsPerConnection, allUnhealthy, healthCheck, circuitBreaker, Protocol.HTTP1,
                UpstreamTlsConfig.DEFAULT);
    }

    /** How requests reach a pool's targets. */
    public enum Protocol {
        /** HTTP/1.1 over keep-alive connections, one request at a time on each */
        HTTP1,
        /** HTTP/2 negotiated by ALPN with https targets, requests multiplexed as streams */
        H2,
        /** HTTP/2 with prior knowledge to http targets (cleartext) */
        H2C
    }

    /** What a pool does when no target is usable. */
    public enum AllUnhealthy {
        /** answer 503 with Retry-After */
        FAIL,
        /** spread over all targets as if they were healthy (panic mode) */
        IGNORE_HEALTH
    }
}
