package dev.gateway.proxy;

import dev.gateway.balancer.Pool;
import dev.gateway.config.HeaderRules;
import dev.gateway.config.RouteConfig;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;

/** A proxy route compiled once per config snapshot: its pool and everything about how it forwards. */
public final class ProxyRoute {

    private final RouteConfig config;
    private final Pool pool;
    private final UpstreamPath upstreamPath;
    private final long timeoutNanos;
    private final long webSocketIdleNanos;
    private final String via;
    private final HeaderRewrite requestRewrite;
    private final HeaderRewrite responseRewrite;

    /** @param via the gateway's {@code Via} pseudonym ({@code [server] via}); empty adds no Via */
    public ProxyRoute(RouteConfig config, Pool pool, String via) {
        this.config = config;
        this.pool = pool;
        this.via = via;
        this.upstreamPath = new UpstreamPath(config.path().endsWith("/*"), config.stripPrefix(),
                config.rewrite().orElse(null));
        this.timeoutNanos = config.timeout().toNanos();
        this.webSocketIdleNanos = config.websocketIdleTimeout().toNanos();
        this.requestRewrite = new HeaderRewrite(config.requestHeaders());
        this.responseRewrite = new HeaderRewrite(config.responseHeaders());
    }

    /** {@code request_headers}, compiled. */
    HeaderRewrite requestRewrite() {
        return requestRewrite;
    }

    /** {@code response_headers}, compiled. */
    HeaderRewrite responseRewrite() {
        return responseRewrite;
    }

    public String name() {
        return config.name();
    }

    public Pool pool() {
        return pool;
    }

    RouteConfig config() {
        return config;
    }

    /** The {@code Via} pseudonym, read with the route so that a reload applies to the requests after it. */
    String via() {
        return via;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** {@code websocket_idle_timeout}: an open WebSocket with no bytes either way for this long is closed. */
    long webSocketIdleNanos() {
        return webSocketIdleNanos;
    }

    /**
     * The request target for the upstream request.
     *
     * @param path the normalized request path
     * @param query the query without '?', or null
     * @param remainder the path below the route's prefix ("" or starting with '/')
     * @param params the route's :param values
     */
    public String upstreamUri(String path, String query, String remainder, Map<String, String> params) {
        return upstreamPath.build(path, query, remainder, params);
    }

    /** Applies rules whose values have no variables. */
    static void applyRules(HeaderRules rules, HttpHeaders headers) {
        new HeaderRewrite(rules).apply(headers, null);
    }
}
