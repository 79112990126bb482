package dev.gateway.core;

import dev.gateway.proxy.Forwarder;

/**
 * What the per-connection handlers share: the current routing snapshot (swapped whole on reload),
 * the access log and the proxy forwarder.
 */
final class ServerRuntime {

    private volatile RoutingSnapshot snapshot;
    private final AccessLog accessLog;
    private final Forwarder forwarder;
    private final boolean secure;

    ServerRuntime(RoutingSnapshot snapshot, AccessLog accessLog, Forwarder forwarder, boolean secure) {
        this.snapshot = snapshot;
        this.accessLog = accessLog;
        this.forwarder = forwarder;
        this.secure = secure;
    }

    RoutingSnapshot snapshot() {
        return snapshot;
    }

    void publish(RoutingSnapshot next) {
        snapshot = next;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    Forwarder forwarder() {
        return forwarder;
    }

    /** True when the main listener speaks TLS. */
    boolean secure() {
        return secure;
    }
}
