package dev.gateway.core.routing;

import dev.gateway.config.RouteAction;
import dev.gateway.config.RouteConfig;
import dev.gateway.core.middleware.RouteMiddleware;
import dev.gateway.core.ratelimit.RateLimiter;
import dev.gateway.proxy.ProxyRoute;
import dev.gateway.staticfiles.StaticSite;

/**
 * A configured route compiled for the request path: its pattern, its handler (static site or
 * forwarding), its rate limiter and its middleware.
 */
public final class Route {

    private final RouteConfig config;
    private final PathPattern pattern;
    private final StaticSite site;
    private final ProxyRoute proxy;
    private final RateLimiter rateLimiter;
    private final RouteMiddleware middleware;

    Route(RouteConfig config, StaticSite site, ProxyRoute proxy, RateLimiter rateLimiter) {
        this(config, site, proxy, rateLimiter, null);
    }

    /**
     * @param site the directory of a static route, else null
     * @param proxy the forwarding of a proxy route, else null
     * @param rateLimiter the limiter of a route with {@code rate_limit}, else null
     * @param middleware access control, authentication, CORS and compression, or null when it has none
     */
    Route(RouteConfig config, StaticSite site, ProxyRoute proxy, RateLimiter rateLimiter, RouteMiddleware middleware) {
        this.middleware = middleware;
        this.config = config;
        this.pattern = PathPattern.parse(config.path());
        this.site = site;
        this.proxy = proxy;
        this.rateLimiter = rateLimiter;
        if ((config.action() instanceof RouteAction.Static) != (site != null)
                || (config.action() instanceof RouteAction.Proxy) != (proxy != null)
                || config.rateLimit().isPresent() != (rateLimiter != null)) {
            throw new IllegalArgumentException("route " + config.name() + ": handlers do not match the configuration");
        }
    }

    public RouteConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public PathPattern pattern() {
        return pattern;
    }

    /** The directory served by a static route, else null. */
    public StaticSite site() {
        return site;
    }

    /** The forwarding of a proxy route, else null. */
    public ProxyRoute proxy() {
        return proxy;
    }

    /** The limiter of a route with {@code rate_limit}, else null. */
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** What the route does around its action, or null when it does nothing (the common case costs one null check). */
    public RouteMiddleware middleware() {
        return middleware;
    }

    boolean allows(String method) {
        return config.methods().isEmpty() || config.methods().contains(method);
    }
}
