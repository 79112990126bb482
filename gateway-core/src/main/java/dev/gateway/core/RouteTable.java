package dev.gateway.core;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Immutable route lookup for one config snapshot.
 *
 * <p>Hosts are tried from the most specific tier to the least: routes for the exact host, then
 * {@code *.suffix} routes from the longest matching suffix to the shortest, then routes without a
 * host. The first tier with a route for the path and method wins; a 405 is answered only when no
 * tier has one. Each tier is a {@link PathTrie}, found by hash lookups on the host's labels, so the
 * cost of a lookup does not grow with the number of routes.
 */
final class RouteTable {

    private final Map<String, PathTrie> exactHosts = new HashMap<>();
    private final Map<String, PathTrie> wildcardSuffixes = new HashMap<>();
    private final PathTrie anyHost = new PathTrie();

    RouteTable(List<Route> routes) {
        for (Route route : routes) {
            String host = route.config().host().orElse(null);
            if (host == null) {
                anyHost.add(route);
            } else if (host.startsWith("*.")) {
                wildcardSuffixes.computeIfAbsent(host.substring(2), h -> new PathTrie()).add(route);
            } else {
                exactHosts.computeIfAbsent(host, h -> new PathTrie()).add(route);
            }
        }
    }

    /**
     * @param hostHeader the request's Host header (any case, with or without port), or null
     */
    RouteMatch match(String hostHeader, RequestPath path, String method) {
        RouteMatch methodNotAllowed = null;
        String host = normalizeHost(hostHeader);
        if (host != null) {
            PathTrie exact = exactHosts.get(host);
            if (exact != null) {
                RouteMatch match = exact.match(path, method);
                if (match.isFound()) {
                    return match;
                }
                methodNotAllowed = firstMethodNotAllowed(methodNotAllowed, match);
            }
            if (!wildcardSuffixes.isEmpty()) {
                for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
                    PathTrie wildcard = wildcardSuffixes.get(host.substring(dot + 1));
                    if (wildcard != null) {
                        RouteMatch match = wildcard.match(path, method);
                        if (match.isFound()) {
                            return match;
                        }
                        methodNotAllowed = firstMethodNotAllowed(methodNotAllowed, match);
                    }
                }
            }
        }
        RouteMatch match = anyHost.match(path, method);
        if (match.isFound()) {
            return match;
        }
        methodNotAllowed = firstMethodNotAllowed(methodNotAllowed, match);
        return methodNotAllowed != null ? methodNotAllowed : RouteMatch.NOT_FOUND;
    }

    private static RouteMatch firstMethodNotAllowed(RouteMatch current, RouteMatch candidate) {
        return current == null && candidate.isMethodNotAllowed() ? candidate : current;
    }

    /** Lower-cases and strips the port and a trailing dot: "API.Example.com.:8080" -> "api.example.com". */
    static String normalizeHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return null;
        }
        String host = hostHeader;
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            host = close < 0 ? host : host.substring(0, close + 1);
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0) {
                host = host.substring(0, colon);
            }
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
