package dev.gateway.core;

import dev.gateway.proxy.Forwarder;

/**
 * What the per-connection handlers share: the current routing snapshot (swapped whole on reload),
 * the access log, the metrics and the proxy forwarder.
 */
final class ServerRuntime {

    private volatile RoutingSnapshot snapshot;
    private final AccessLog accessLog;
    private final GatewayMetrics metrics;
    private final Forwarder forwarder;
    private final boolean secure;

    ServerRuntime(RoutingSnapshot snapshot, AccessLog accessLog, GatewayMetrics metrics, Forwarder forwarder,
                  boolean secure) {
        this.snapshot = snapshot;
        this.accessLog = accessLog;
        this.metrics = metrics;
        this.forwarder = forwarder;
        this.secure = secure;
    }

    RoutingSnapshot snapshot() {
        return snapshot;
    }

    void publish(RoutingSnapshot next) {
        snapshot = next;
    }

    /** Where every exchange ends, exactly once: its access-log line and its metrics. */
    void completed(Exchange exchange) {
        accessLog.log(exchange);
        metrics.requestCompleted(exchange);
    }

    Forwarder forwarder() {
        return forwarder;
    }

    /** True when the main listener speaks TLS. */
    boolean secure() {
        return secure;
    }
}
