package dev.gateway.config;

import java.util.List;
import java.util.Optional;

/**
 * {@code [admin]}: health, readiness, metrics, status and reload endpoints.
 *
 * @param listen where the admin listener binds (loopback by default)
 * @param token bearer token required by {@code POST /reload} when the listener is not on loopback
 * @param maxConnections open admin connections at most; more are closed as soon as they are accepted
 * @param allowedHosts host names (lower case, no port) the listener answers to besides IP literals
 *        and {@code localhost}; any other {@code Host} gets 421 (DNS rebinding)
 */
public record AdminConfig(HostPort listen, Optional<String> token, int maxConnections, List<String> allowedHosts) {

    public AdminConfig {
        allowedHosts = List.copyOf(allowedHosts);
    }
}
