package dev.gateway.core.routing;

import java.util.List;
import java.util.Locale;

/**
 * Immutable route lookup for one config snapshot.
 *
 * <p>Hosts are tried from the most specific tier to the least: routes for the exact host, then
 * {@code *.suffix} routes from the longest matching suffix to the shortest, then routes without a
 * host. The first tier with a route for the path and method wins; a 405 is answered only when no
 * tier has one. Each tier is a {@link PathTrie}, found by hash lookups on the host's labels, so the
 * cost of a lookup does not grow with the number of routes.
 */
public final class RouteTable {

    private final RegionMap<PathTrie> exactHosts = new RegionMap<>();
    private final RegionMap<PathTrie> wildcardSuffixes = new RegionMap<>();
    private final PathTrie anyHost = new PathTrie();
    /** whether some route takes only some methods, so that a request no route takes may be a 405 */
    private final boolean methodsLimited;

    RouteTable(List<Route> routes) {
        boolean limited = false;
        for (Route route : routes) {
            limited |= !route.config().methods().isEmpty();
            String host = route.config().host().orElse(null);
            if (host == null) {
                anyHost.add(route);
            } else if (host.startsWith("*.")) {
                tier(wildcardSuffixes, host.substring(2)).add(route);
            } else {
                tier(exactHosts, host).add(route);
            }
        }
        this.methodsLimited = limited;
    }

    private static PathTrie tier(RegionMap<PathTrie> tiers, String host) {
        PathTrie trie = tiers.get(host);
        if (trie == null) {
            trie = new PathTrie();
            tiers.put(host, trie);
        }
        return trie;
    }

    /**
     * Allocates nothing unless the answer is a 405 (or the Host header is not ASCII).
     *
     * @param hostHeader the request's Host header (any case, with or without port), or null
     */
    public RouteMatch match(String hostHeader, RequestPath path, String method) {
        String host = hostHeader;
        int hostEnd = hostEnd(host);
        if (hostEnd > 0 && !isAscii(host, hostEnd)) {
            host = normalizeHost(hostHeader); // lower-casing beyond ASCII can change the length
            hostEnd = host.length();
        }
        RouteMatch found = search(host, hostEnd, path.path(), method, false);
        if (found == null && methodsLimited) {
            found = search(host, hostEnd, path.path(), method, true);
        }
        return found != null ? found : RouteMatch.NOT_FOUND;
    }

    /**
     * Tries the tiers for {@code host[0, hostEnd)} (none when {@code hostEnd < 0}) in order, for a
     * route or, with {@code methodNotAllowed}, for the first tier with routes for the path but only
     * for other methods.
     */
    private RouteMatch search(String host, int hostEnd, String path, String method, boolean methodNotAllowed) {
        if (hostEnd >= 0) {
            if (!exactHosts.isEmpty()) {
                PathTrie exact = exactHosts.get(host, 0, hostEnd, true);
                RouteMatch match = searchTier(exact, path, method, methodNotAllowed);
                if (match != null) {
                    return match;
                }
            }
            if (!wildcardSuffixes.isEmpty()) {
                for (int dot = host.indexOf('.'); dot >= 0 && dot < hostEnd; dot = host.indexOf('.', dot + 1)) {
                    PathTrie wildcard = wildcardSuffixes.get(host, dot + 1, hostEnd, true);
                    RouteMatch match = searchTier(wildcard, path, method, methodNotAllowed);
                    if (match != null) {
                        return match;
                    }
                }
            }
        }
        return searchTier(anyHost, path, method, methodNotAllowed);
    }

    private static RouteMatch searchTier(PathTrie trie, String path, String method, boolean methodNotAllowed) {
        if (trie == null) {
            return null;
        }
        if (!methodNotAllowed) {
            return trie.match(path, method);
        }
        List<String> allowed = trie.allowedMethods(path);
        return allowed.isEmpty() ? null : RouteMatch.methodNotAllowed(allowed);
    }

    /**
     * Where the host name in a Host header ends: before the port and a trailing dot; -1 without a
     * header. The same rules as {@link #normalizeHost}, without making a string.
     */
    private static int hostEnd(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return -1;
        }
        int end;
        if (hostHeader.charAt(0) == '[') {
            int close = hostHeader.indexOf(']');
            end = close < 0 ? hostHeader.length() : close + 1;
        } else {
            int colon = hostHeader.indexOf(':');
            end = colon < 0 ? hostHeader.length() : colon;
        }
        return end > 0 && hostHeader.charAt(end - 1) == '.' ? end - 1 : end;
    }

    private static boolean isAscii(String text, int end) {
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Lower-cases and strips the port and a trailing dot: "API.Example.com.:8080" -> "api.example.com". */
    public static String normalizeHost(String hostHeader) {
        int end = hostEnd(hostHeader);
        return end < 0 ? null : hostHeader.substring(0, end).toLowerCase(Locale.ROOT);
    }
}
