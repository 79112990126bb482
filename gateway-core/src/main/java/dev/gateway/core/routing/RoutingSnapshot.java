package dev.gateway.core.routing;

import dev.gateway.balancer.Pool;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.RouteAction;
import dev.gateway.config.RouteConfig;
import dev.gateway.config.ServerConfig;
import dev.gateway.core.middleware.RouteMiddleware;
import dev.gateway.core.ratelimit.RateLimiter;
import dev.gateway.proxy.ProxyRoute;
import dev.gateway.staticfiles.StaticSite;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Everything a request needs from the configuration, built once off the event loop and published
 * with a single volatile write, so a reload never pauses or half-applies to traffic.
 */
public final class RoutingSnapshot {

    private final GatewayConfig config;
    private final RouteTable routes;
    private final StaticSite defaultSite;
    private final Map<String, Pool> pools;
    private final Map<String, RateLimiter> rateLimiters;
    private final ErrorPages errorPages;
    private final RouteMiddleware fallback;

    private RoutingSnapshot(GatewayConfig config, RouteTable routes, StaticSite defaultSite, Map<String, Pool> pools,
            Map<String, RateLimiter> rateLimiters, ErrorPages errorPages, RouteMiddleware fallback) {
        this.fallback = fallback;
        this.config = config;
        this.routes = routes;
        this.defaultSite = defaultSite;
        this.pools = pools;
        this.rateLimiters = rateLimiters;
        this.errorPages = errorPages;
    }

    /** The gateway's own error responses, as static sites produce them (passed in by the server: routing sits below the HTTP package). */
    public interface ErrorPages extends BiFunction<HttpRequest, HttpResponseStatus, FullHttpResponse> {
    }

    /** The first snapshot, at start-up; static sites answer their errors with {@code errorPages}. */
    public static RoutingSnapshot build(GatewayConfig config, ErrorPages errorPages) {
        return build(config, null, errorPages);
    }

    /** The snapshot replacing {@code previous} on a reload (see {@link #build(GatewayConfig, RoutingSnapshot, ErrorPages)}). */
    public static RoutingSnapshot build(GatewayConfig config, RoutingSnapshot previous) {
        return build(config, previous, previous.errorPages);
    }

    /**
     * Builds a snapshot for a reload: a pool whose {@code [upstreams.NAME]} definition is equal to
     * one of {@code previous} is taken over as it is (its targets keep their health, breaker state,
     * active counts and pooled connections); every other pool is new. Likewise a route's rate
     * limiter, when {@code previous} had a route of the same name with an equal {@code rate_limit}:
     * its clients' spent tokens survive the reload.
     *
     * @param previous the snapshot being replaced, or null
     */
    private static RoutingSnapshot build(GatewayConfig config, RoutingSnapshot previous, ErrorPages errorPages) {
        Map<String, Pool> previousPools = previous == null ? Map.of() : previous.pools;
        Map<String, RateLimiter> previousLimiters = previous == null ? Map.of() : previous.rateLimiters;
        Map<String, Pool> pools = new LinkedHashMap<>();
        config.upstreams().forEach((name, upstream) -> {
            Pool old = previousPools.get(name);
            pools.put(name, old != null && old.config().equals(upstream) ? old : new Pool(upstream));
        });
        Map<String, RateLimiter> rateLimiters = new LinkedHashMap<>();
        Middlewares middlewares = new Middlewares(config, pools);
        List<Route> routes = new ArrayList<>(config.routes().size());
        for (RouteConfig route : config.routes()) {
            RouteAction action = route.action();
            StaticSite site = action instanceof RouteAction.Static
                    ? new StaticSite(((RouteAction.Static) action).site(), errorPages)
                    : null;
            ProxyRoute proxy = action instanceof RouteAction.Proxy
                    ? new ProxyRoute(route, pools.get(((RouteAction.Proxy) action).upstream()),
                            config.server().via())
                    : null;
            RateLimiter limiter = route.rateLimit().map(limit -> {
                RateLimiter old = previousLimiters.get(route.name());
                return old != null && old.config().equals(limit) ? old : RateLimiter.forRoute(route.name(), limit);
            }).orElse(null);
            if (limiter != null) {
                rateLimiters.put(route.name(), limiter);
            }
            routes.add(new Route(route, site, proxy, limiter, middlewares.of(route)));
        }
        StaticSite defaultSite = config.staticSite()
                .map(site -> new StaticSite(site, errorPages))
                .orElse(null);
        return new RoutingSnapshot(config, new RouteTable(routes), defaultSite, Collections.unmodifiableMap(pools),
                Collections.unmodifiableMap(rateLimiters), errorPages, middlewares.fallback());
    }

    public GatewayConfig config() {
        return config;
    }

    public ServerConfig server() {
        return config.server();
    }

    public RouteTable routes() {
        return routes;
    }

    /** The runtime pools by upstream name (health checks and status read them). */
    public Map<String, Pool> pools() {
        return pools;
    }

    /** The rate limiters by route name, for the routes that have one (metrics read their rejections). */
    public Map<String, RateLimiter> rateLimiters() {
        return rateLimiters;
    }

    /**
     * What applies to requests no route takes (the default site, 404s and 405s): {@code [access]}
     * and, with {@code [compression] enabled}, compression; null when neither is set.
     */
    public RouteMiddleware fallbackMiddleware() {
        return fallback;
    }

    /** The {@code [static]} site answering what no route matched, or null. */
    public StaticSite defaultSite() {
        return defaultSite;
    }
}
