package dev.gateway.core.http;

import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.core.tracing.Tracing;
import dev.gateway.proxy.Forwarder;

/**
 * What the per-connection handlers share: the current routing snapshot (swapped whole on reload),
 * where finished exchanges are reported (access log, metrics, the dashboard's traffic, span export),
 * the proxy forwarder, the dispatcher and request tracing.
 */
public final class ServerRuntime {

    private volatile RoutingSnapshot snapshot;
    private final ExchangeObserver completed;
    private final Forwarder forwarder;
    private final boolean secure;
    private final Tracing tracing;
    private final Dispatcher dispatcher;

    public ServerRuntime(RoutingSnapshot snapshot, ExchangeObserver completed, Forwarder forwarder, boolean secure) {
        this(snapshot, completed, forwarder, secure, Tracing.OFF);
    }

    /** @param tracing W3C Trace Context for every request ({@link Tracing#OFF}: none) */
    public ServerRuntime(RoutingSnapshot snapshot, ExchangeObserver completed, Forwarder forwarder, boolean secure,
                         Tracing tracing) {
        this.snapshot = snapshot;
        this.completed = completed;
        this.forwarder = forwarder;
        this.secure = secure;
        this.tracing = tracing;
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

    /** Where every exchange ends, exactly once, HTTP/1.1 or HTTP/2: access log, metrics, traffic, spans. */
    void completed(Exchange exchange) {
        completed.completed(exchange);
    }

    Forwarder forwarder() {
        return forwarder;
    }

    /** Trace Context of each request head (restart-only, like the listeners). */
    Tracing tracing() {
        return tracing;
    }

    /** True when the main listener speaks TLS. */
    boolean secure() {
        return secure;
    }
}
