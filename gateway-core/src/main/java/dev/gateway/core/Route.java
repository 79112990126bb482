package dev.gateway.core;

import dev.gateway.config.RouteAction;
import dev.gateway.config.RouteConfig;
import dev.gateway.staticfiles.StaticSite;

/** A configured route compiled for the request path: its pattern and, for static routes, its site. */
final class Route {

    private final RouteConfig config;
    private final PathPattern pattern;
    private final StaticSite site;

    Route(RouteConfig config, StaticSite site) {
        this.config = config;
        this.pattern = PathPattern.parse(config.path());
        this.site = site;
        if ((config.action() instanceof RouteAction.Static) != (site != null)) {
            throw new IllegalArgumentException("route " + config.name() + ": a site is needed exactly for static routes");
        }
    }

    RouteConfig config() {
        return config;
    }

    String name() {
        return config.name();
    }

    PathPattern pattern() {
        return pattern;
    }

    /** The directory served by a static route, else null. */
    StaticSite site() {
        return site;
    }

    boolean allows(String method) {
        return config.methods().isEmpty() || config.methods().contains(method);
    }
}
