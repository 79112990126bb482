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
        StatusRange expectedStatus,
        String service) {

    /** An http, websocket or tcp check (no gRPC service name). */
    public HealthCheckConfig(Type type, String path, Duration interval, Duration timeout, int healthyThreshold,
                             int unhealthyThreshold, StatusRange expectedStatus) {
        this(type, path, interval, timeout, healthyThreshold, unhealthyThreshold, expectedStatus, "");
    }

    /** What a check does. */
    public enum Type {
        HTTP, WEBSOCKET, TCP,
        /** {@code grpc.health.v1.Health/Check} for {@code service} ("" is the server as a whole) */
        GRPC
    }

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
