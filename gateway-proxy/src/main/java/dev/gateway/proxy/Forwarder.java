package dev.gateway.proxy;

import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.Cidr;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.proxy.upstream.Http1Connections;
import dev.gateway.proxy.upstream.Http2Connections;
import dev.gateway.proxy.upstream.UpstreamConnections;
import dev.gateway.proxy.upstream.UpstreamTransport;
import dev.gateway.proxy.websocket.WebSocketMetrics;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry point of the proxy: turns a client request head into an upstream request head
 * (docs/architecture.md, "Headers on the way through": hop-by-hop headers dropped, forwarding headers and Via set, Host per preserve_host, the
 * route's header rules, path rewritten) and starts a {@link Forwarding} for it. Also owns the
 * upstream connection pools, one set per event loop.
 */
public final class Forwarder implements AutoCloseable {

    private static final String HTTP_2 = "HTTP/2.0";

    private final UpstreamTransport transport;
    private final ForwardedHeaders forwardedHeaders;
    private final UpstreamObserver observer;
    private final Map<EventLoop, Map<Target, UpstreamConnections>> pools = new ConcurrentHashMap<>();
    private final WebSocketMetrics webSockets = new WebSocketMetrics();

    public Forwarder(UpstreamTransport transport, List<Cidr> trustedProxies) {
        this(transport, trustedProxies, UpstreamObserver.NONE);
    }

    /** @param observer told about every upstream attempt and retry (metrics) */
    public Forwarder(UpstreamTransport transport, List<Cidr> trustedProxies, UpstreamObserver observer) {
        this.transport = transport;
        this.forwardedHeaders = new ForwardedHeaders(trustedProxies);
        this.observer = observer;
    }

    /** Open WebSockets and relayed bytes per route and target, for the metrics exporter. */
    public WebSocketMetrics webSockets() {
        return webSockets;
    }

    /**
     * Starts forwarding. A WebSocket handshake on a route with {@code websocket = true} keeps its
     * {@code Upgrade} (on other routes it is dropped with the hop-by-hop headers, so the request is
     * answered as a plain one). Must be called on the client connection's event loop.
     *
     * @param request the client's request head, still to be read: its body (if any) is asked for
     *                with {@link Downstream#read()}; the head is modified in place
     * @param upstreamUri the request target to send, from {@link ProxyRoute#upstreamUri}
     * @param path the normalized request path (what hash strategies key on)
     */
    public void forward(Downstream client, HttpRequest request, ProxyRoute route, String upstreamUri, String path) {
        HttpHeaders headers = request.headers();
        boolean clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        String host = headers.get(HttpHeaderNames.HOST);
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        boolean upgrade = route.config().websocket() && WebSocketUpgrade.isRequested(request);
        // TE is hop-by-hop, but "trailers" is the one value every hop must carry (RFC 9110 §10.1.4;
        // gRPC needs it to reach the target, RFC 9113 §8.2.2 allows nothing else)
        boolean teTrailers = headers.containsValue(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS, true);
        HopByHopHeaders.strip(headers);
        if (teTrailers) {
            headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        }
        if (upgrade) {
            WebSocketUpgrade.restoreHeaders(headers);
        }
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        forwardedHeaders.apply(headers, client.clientIp(), client.secure(), host, client.listenerPort());
        ForwardedHeaders.clientCertificate(headers, client.forwardedClientCert());
        if (HTTP_2.equals(client.protocol())) {
            ViaHeader.append(headers, "2", route.via());
        } else {
            ViaHeader.append(headers, request.protocolVersion(), route.via());
        }
        HeaderRewrite rewrite = route.requestRewrite();
        rewrite.apply(headers, rewrite.hasVariables() ? new ExchangeValues(client, host, route.name(), null, headers) : null);
        request.setUri(upstreamUri);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        // A request that came whole (an HTTP/2 HEADERS frame that ended its stream) also carries its
        // (empty) body, which reaches the forwarding as content: the head sent up must not own it.
        HttpRequest head = request instanceof FullHttpRequest
                ? new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(), headers)
                : request;
        Forwarding exchange = new Forwarding(this, client, head, host, clientHttp10, upgrade,
                teTrailers || HTTP_2.equals(client.protocol()), route,
                new HttpRequestKey(client.clientIp(), path, headers));
        // Attached before it starts: with a pooled connection the body is asked for at once.
        client.attach(exchange);
        exchange.start();
    }

    UpstreamObserver observer() {
        return observer;
    }

    /** The pool of connections from {@code loop} to {@code target}; only ever touched on that loop. */
    UpstreamConnections connections(EventLoop loop, Target target, Pool pool) {
        Map<Target, UpstreamConnections> perLoop = pools.computeIfAbsent(loop, l -> new HashMap<>());
        UpstreamConnections connections = perLoop.get(target);
        if (connections == null) {
            connections = pool.config().protocol() == UpstreamConfig.Protocol.HTTP1
                    ? new Http1Connections(loop, target, pool.config(), transport)
                    : new Http2Connections(loop, target, pool.config(), transport);
            if (pool.isRetired()) {
                // a request routed just before a reload: serve it, keep nothing for a pool no route uses
                connections.retire();
            } else {
                perLoop.put(target, connections);
            }
        }
        return connections;
    }

    /**
     * Forgets the connections to the targets of pools a reload removed or replaced: idle ones are
     * closed, those still serving a request close when it ends. Keyed by target object, pools a
     * reload kept are untouched. Each loop drops its own entries (maps are loop-confined); the
     * pools are marked retired first, so a loop that misses later never re-adds an entry.
     */
    public void retire(Collection<Pool> removed) {
        if (removed.isEmpty()) {
            return;
        }
        removed.forEach(Pool::retire);
        pools.forEach((loop, perLoop) -> loop.execute(() -> {
            for (Pool pool : removed) {
                for (Target target : pool.targets()) {
                    UpstreamConnections connections = perLoop.remove(target);
                    if (connections != null) {
                        connections.retire();
                    }
                }
            }
        }));
    }

    /** Closes every pooled connection (on shutdown); a second call, once the loops are gone, does nothing. */
    @Override
    public void close() {
        pools.forEach((loop, perLoop) -> {
            if (!loop.isShuttingDown()) {
                loop.execute(() -> perLoop.values().forEach(UpstreamConnections::closeAll));
            }
        });
    }
}
