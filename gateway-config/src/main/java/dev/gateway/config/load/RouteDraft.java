package dev.gateway.config.load;

import dev.gateway.config.MiddlewareConfig;
import dev.gateway.config.RouteAction;
import dev.gateway.config.RouteConfig;
import dev.gateway.config.TargetConfig;
import java.util.List;
import java.util.Optional;

/**
 * A route read from the file whose name is not settled yet.
 *
 * @param keyPath {@code routes[i]}, for problems
 * @param inlineTargets the pool of a {@code targets} route ({@code route.action()} is then null), else null
 * @param route everything else; its name is a placeholder
 */
record RouteDraft(String keyPath, Optional<String> explicitName, RoutePattern pattern,
        List<TargetConfig> inlineTargets, RouteConfig route) {

    /**
     * The final route; a {@code targets} route proxies to the pool {@code route:<name>}, and the
     * subrequests of a {@code forward_auth} go to the pool {@code auth:<name>}.
     */
    RouteConfig named(String name) {
        RouteAction action = inlineTargets != null
                ? new RouteAction.Proxy(UpstreamReader.INLINE_PREFIX + name)
                : route.action();
        MiddlewareConfig middleware = route.middleware().withForwardAuth(route.middleware().forwardAuth()
                .map(auth -> auth.withUpstream(UpstreamReader.AUTH_PREFIX + name)));
        return new RouteConfig(name, route.path(), route.host(), route.methods(), action, route.stripPrefix(),
                route.rewrite(), route.preserveHost(), route.timeout(), route.retries(), route.websocket(),
                route.websocketIdleTimeout(), route.requestHeaders(), route.responseHeaders(), route.rateLimit(),
                middleware);
    }
}
