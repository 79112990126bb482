package dev.gateway.core;

/**
 * What the per-connection handlers share: the current routing snapshot (swapped whole on reload),
 * the access log and the proxy.
 */
final class ServerRuntime {

    private volatile RoutingSnapshot snapshot;
    private final AccessLog accessLog;
    private final ProxyDispatch proxy;

    ServerRuntime(RoutingSnapshot snapshot, AccessLog accessLog, ProxyDispatch proxy) {
        this.snapshot = snapshot;
        this.accessLog = accessLog;
        this.proxy = proxy;
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

    ProxyDispatch proxy() {
        return proxy;
    }
}
