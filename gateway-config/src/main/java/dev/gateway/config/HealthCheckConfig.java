package dev.gateway.config;

import java.time.Duration;

/** {@code [upstreams.NAME.health_check]}: active checks; targets start healthy. */
public record HealthCheckConfig(
        Type type,
        String path,
        Duration interval,
        Duration timeout,
        int healthyThreshold,
        int unhealthyThreshold,
        StatusRange expectedStatus) {

    /** What a check does. */
    public enum Type { HTTP, WEBSOCKET, TCP }

    /** Inclusive range of HTTP statuses that count as a pass, e.g. "200-399". */
    public record StatusRange(int from, int to) {

        public boolean contains(int status) {
            return status >= from && status <= to;
        }

        @Override
        public String toString() {
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }
}
