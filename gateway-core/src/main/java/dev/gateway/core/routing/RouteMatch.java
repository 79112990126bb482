package dev.gateway.core.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result of a route lookup: a route, or "no route" (404), or "path matched but not the method" (405
 * with the methods that would).
 *
 * <p>A found match is made once per route, when the table is built, so a lookup allocates nothing:
 * what depends on the request ({@code :param} values, the path below a prefix) is read from its
 * {@link RequestPath} when asked for, at positions the route's pattern fixes.
 */
public final class RouteMatch {

    static final RouteMatch NOT_FOUND = new RouteMatch(null, List.of());

    private final Route route;
    private final List<String> allowedMethods;

    private RouteMatch(Route route, List<String> allowedMethods) {
        this.route = route;
        this.allowedMethods = allowedMethods;
    }

    static RouteMatch found(Route route) {
        return new RouteMatch(route, List.of());
    }

    static RouteMatch methodNotAllowed(List<String> allowed) {
        List<String> sorted = new ArrayList<>(allowed);
        Collections.sort(sorted);
        return new RouteMatch(null, List.copyOf(sorted));
    }

    public boolean isFound() {
        return route != null;
    }

    public boolean isMethodNotAllowed() {
        return route == null && !allowedMethods.isEmpty();
    }

    public Route route() {
        return route;
    }

    /**
     * The still-encoded part of {@code path} below a prefix route's prefix: "" for the prefix itself
     * (and for routes that are not prefixes), else starting with "/".
     */
    public String remainder(RequestPath path) {
        PathPattern pattern = route.pattern();
        return pattern.isPrefix() ? path.remainderAfter(pattern.segments().size()) : "";
    }

    public List<String> allowedMethods() {
        return allowedMethods;
    }

    /** :param values of {@code path} by name (decoded segments are left as received). */
    public Map<String, String> params(RequestPath path) {
        PathPattern pattern = route.pattern();
        List<String> names = pattern.paramNames();
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            map.put(names.get(i), path.segment(pattern.paramSegment(i)));
        }
        return map;
    }
}
