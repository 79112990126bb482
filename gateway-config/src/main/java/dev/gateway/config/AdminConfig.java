package dev.gateway.config;

import java.util.Optional;

/**
 * {@code [admin]}: health, readiness, metrics, status and reload endpoints.
 *
 * @param listen where the admin listener binds (loopback by default)
 * @param token bearer token required by {@code POST /reload} when the listener is not on loopback
 */
public record AdminConfig(HostPort listen, Optional<String> token) {
}
