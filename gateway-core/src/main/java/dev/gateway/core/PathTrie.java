package dev.gateway.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Path matching for the routes of one host tier. A lookup walks the request's segments once, so its
 * cost depends on the path's depth, not on how many routes there are.
 *
 * <p>Precedence: a full match beats a prefix match; among full matches, literal segments beat
 * {@code :params} position by position; among prefix matches the longest prefix wins (literal before
 * param at equal length); routes on the same pattern are tried in file order. A route whose path
 * matches but whose methods do not is skipped, and remembered for the 405 answer.
 */
final class PathTrie {

    private final Node root = new Node();
    private int maxParams;

    void add(Route route) {
        PathPattern pattern = route.pattern();
        Node node = root;
        for (String segment : pattern.segments()) {
            if (PathPattern.isParam(segment)) {
                if (node.param == null) {
                    node.param = new Node();
                }
                node = node.param;
            } else {
                node = node.literals.computeIfAbsent(segment, s -> new Node());
            }
        }
        (pattern.isPrefix() ? node.prefixRoutes : node.exactRoutes).add(route);
        maxParams = Math.max(maxParams, pattern.paramNames().size());
    }

    /** Returns the best match, or a 405 / 404 outcome. */
    RouteMatch match(RequestPath path, String method) {
        Search search = new Search(path, method, maxParams);
        RouteMatch full = search.walk(root, 0, 0);
        if (full != null) {
            return full;
        }
        if (search.bestPrefix != null) {
            return search.bestPrefix;
        }
        return search.allowed.isEmpty() ? RouteMatch.NOT_FOUND : RouteMatch.methodNotAllowed(search.allowed);
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        final List<Route> exactRoutes = new ArrayList<>(1);
        final List<Route> prefixRoutes = new ArrayList<>(1);
        Node param;
    }

    private static final class Search {
        final RequestPath path;
        final String method;
        final String[] params;
        final List<String> allowed = new ArrayList<>(0);
        RouteMatch bestPrefix;
        int bestPrefixDepth = -1;

        Search(RequestPath path, String method, int maxParams) {
            this.path = path;
            this.method = method;
            this.params = new String[maxParams];
        }

        RouteMatch walk(Node node, int depth, int paramCount) {
            if (depth > bestPrefixDepth) {
                Route route = firstAllowing(node.prefixRoutes);
                if (route != null) {
                    bestPrefixDepth = depth;
                    bestPrefix = RouteMatch.found(route, params, paramCount, path.remainderAfter(depth));
                }
            }
            if (depth == path.segmentCount()) {
                Route route = firstAllowing(node.exactRoutes);
                return route == null ? null : RouteMatch.found(route, params, paramCount, "");
            }
            String segment = path.segment(depth);
            Node literal = node.literals.get(segment);
            if (literal != null) {
                RouteMatch match = walk(literal, depth + 1, paramCount);
                if (match != null) {
                    return match;
                }
            }
            if (node.param != null && !segment.isEmpty()) {
                params[paramCount] = segment;
                return walk(node.param, depth + 1, paramCount + 1);
            }
            return null;
        }

        private Route firstAllowing(List<Route> routes) {
            for (int i = 0; i < routes.size(); i++) {
                Route route = routes.get(i);
                if (route.allows(method)) {
                    return route;
                }
                for (String m : route.config().methods()) {
                    if (!allowed.contains(m)) {
                        allowed.add(m);
                    }
                }
            }
            return null;
        }
    }
}
