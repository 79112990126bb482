package dev.gateway.core.http;

import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.proxy.Forwarder;

/**
 * What the per-connection handlers share: the current routing snapshot (swapped whole on reload),
 * where finished exchanges are reported (access log and metrics), and the proxy forwarder.
 */
public final class ServerRuntime {

    private volatile RoutingSnapshot snapshot;
    private final ExchangeObserver completed;
    private final Forwarder forwarder;
    private final boolean secure;
    private final Dispatcher dispatcher;

    public ServerRuntime(RoutingSnapshot snapshot, ExchangeObserver completed, Forwarder forwarder, boolean secure) {
        this.snapshot = snapshot;
        this.completed = completed;
        this.forwarder = forwarder;
        this.secure = secure;
        this.dispatcher = new Dispatcher(this);
    }

    /** Route lookup, rate limit and action, for every connection and stream of this server. */
    Dispatcher dispatcher() {
        return dispatcher;
    }

    public RoutingSnapshot snapshot() {
        return snapshot;
    }

    public void publish(RoutingSnapshot next) {
        snapshot = next;
    }

    /** Where every exchange ends, exactly once: its access-log line and its metrics. */
    void completed(Exchange exchange) {
        completed.completed(exchange);
    }

    Forwarder forwarder() {
        return forwarder;
    }

    /** True when the main listener speaks TLS. */
    boolean secure() {
        return secure;
    }
}
