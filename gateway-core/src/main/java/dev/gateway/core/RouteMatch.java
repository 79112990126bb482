package dev.gateway.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result of a route lookup: a route with its {@code :param} values and the path below its prefix,
 * or "no route" (404), or "path matched but not the method" (405 with the methods that would).
 */
final class RouteMatch {

    static final RouteMatch NOT_FOUND = new RouteMatch(null, new String[0], "", List.of());

    private final Route route;
    private final String[] paramValues;
    private final String remainder;
    private final List<String> allowedMethods;

    private RouteMatch(Route route, String[] paramValues, String remainder, List<String> allowedMethods) {
        this.route = route;
        this.paramValues = paramValues;
        this.remainder = remainder;
        this.allowedMethods = allowedMethods;
    }

    static RouteMatch found(Route route, String[] params, int count, String remainder) {
        String[] values = new String[count];
        System.arraycopy(params, 0, values, 0, count);
        return new RouteMatch(route, values, remainder, List.of());
    }

    static RouteMatch methodNotAllowed(List<String> allowed) {
        List<String> sorted = new ArrayList<>(allowed);
        Collections.sort(sorted);
        return new RouteMatch(null, new String[0], "", List.copyOf(sorted));
    }

    boolean isFound() {
        return route != null;
    }

    boolean isMethodNotAllowed() {
        return route == null && !allowedMethods.isEmpty();
    }

    Route route() {
        return route;
    }

    /** The still-encoded path below a prefix route's prefix: "" for the prefix itself, else starting with "/". */
    String remainder() {
        return remainder;
    }

    List<String> allowedMethods() {
        return allowedMethods;
    }

    /** :param values by name (decoded segments are left as received). */
    Map<String, String> params() {
        List<String> names = route.pattern().paramNames();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < paramValues.length; i++) {
            map.put(names.get(i), paramValues[i]);
        }
        return map;
    }
}
