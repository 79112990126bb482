package dev.gateway.core.routing;

import dev.gateway.balancer.Pool;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.MiddlewareConfig;
import dev.gateway.config.RouteConfig;
import dev.gateway.core.auth.Authenticator;
import dev.gateway.core.auth.BasicAuth;
import dev.gateway.core.auth.ForwardAuth;
import dev.gateway.core.compression.CompressionPolicy;
import dev.gateway.core.middleware.AccessRules;
import dev.gateway.core.middleware.ClientAddress;
import dev.gateway.core.middleware.Cors;
import dev.gateway.core.middleware.RouteMiddleware;
import java.util.Map;

/**
 * Builds each route's {@link RouteMiddleware} for a snapshot, off the event loops: a route's own
 * allow/deny lists or else {@code [access]}; {@code compress} or else {@code [compression] enabled};
 * one {@link CompressionPolicy} shared by the routes that compress (so {@code max_concurrent}
 * counts them together).
 */
final class Middlewares {

    private final GatewayConfig config;
    private final Map<String, Pool> pools;
    private final ClientAddress clientAddress;
    private final AccessRules globalAccess;
    private CompressionPolicy compression;

    Middlewares(GatewayConfig config, Map<String, Pool> pools) {
        this.config = config;
        this.pools = pools;
        this.clientAddress = new ClientAddress(config.server().trustedProxies());
        this.globalAccess = AccessRules.of(config.access(), clientAddress);
    }

    RouteMiddleware of(RouteConfig route) {
        MiddlewareConfig m = route.middleware();
        // a route's own lists replace [access], even empty ones (allow = [] opens the route to everyone)
        AccessRules access = m.access().isPresent() ? AccessRules.of(m.access().get(), clientAddress) : globalAccess;
        Authenticator authenticator = null;
        if (m.basicAuth().isPresent()) {
            authenticator = new BasicAuth(m.basicAuth().get());
        } else if (m.forwardAuth().isPresent()) {
            authenticator = new ForwardAuth(m.forwardAuth().get(), pools.get(m.forwardAuth().get().upstream()));
        }
        Cors cors = m.cors().map(Cors::new).orElse(null);
        boolean compress = m.compress().orElse(config.compression().enabled());
        return RouteMiddleware.of(access, authenticator, cors, compress ? compression() : null);
    }

    /** For requests no route takes. */
    RouteMiddleware fallback() {
        return RouteMiddleware.of(globalAccess, null, null, config.compression().enabled() ? compression() : null);
    }

    private CompressionPolicy compression() {
        if (compression == null) {
            compression = new CompressionPolicy(config.compression());
        }
        return compression;
    }
}
