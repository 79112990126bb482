package dev.gateway.core.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Path matching for the routes of one host tier. A lookup walks the request's segments once, so its
 * cost depends on the path's depth, not on how many routes there are, and it allocates nothing:
 * segments are looked up in place in the path and each route's match is made when it is added.
 *
 * <p>Precedence: a full match beats a prefix match; among full matches, literal segments beat
 * {@code :params} position by position; among prefix matches the longest prefix wins (literal before
 * param at equal length); routes on the same pattern are tried in file order. A route whose path
 * matches but whose methods do not is skipped; {@link #allowedMethods} finds them for the 405 answer.
 */
final class PathTrie {

    private static final RouteMatch[] NONE = new RouteMatch[0];

    private final Node root = new Node();

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
                Node child = node.literals.get(segment);
                if (child == null) {
                    child = new Node();
                    node.literals.put(segment, child);
                }
                node = child;
            }
        }
        RouteMatch match = RouteMatch.found(route);
        if (pattern.isPrefix()) {
            node.prefixMatches = append(node.prefixMatches, match);
        } else {
            node.exactMatches = append(node.exactMatches, match);
        }
    }

    /**
     * The best match for a normalized path, or null when no route here takes it with this method.
     */
    RouteMatch match(String path, String method) {
        return walk(root, path, 1, method);
    }

    /**
     * The methods (once each) of the routes whose pattern takes the path, whatever the method; an
     * empty list, made without allocating, when there are none.
     */
    List<String> allowedMethods(String path) {
        List<String> methods = collect(root, path, 1, null);
        return methods == null ? List.of() : methods;
    }

    /**
     * The best match below {@code node} for the segments from {@code start} on (just past a '/'; past
     * the end when none is left).
     */
    private static RouteMatch walk(Node node, String path, int start, String method) {
        RouteMatch best = firstAllowing(node.prefixMatches, method);
        if (start > path.length()) {
            RouteMatch full = firstAllowing(node.exactMatches, method);
            return full != null ? full : best;
        }
        int end = segmentEnd(path, start);
        Node literal = node.literals.get(path, start, end, false);
        if (literal != null) {
            RouteMatch match = walk(literal, path, end + 1, method);
            if (match != null && !match.route().pattern().isPrefix()) {
                return match;
            }
            best = longer(best, match);
        }
        if (node.param != null && end > start) {
            RouteMatch match = walk(node.param, path, end + 1, method);
            if (match != null && !match.route().pattern().isPrefix()) {
                return match;
            }
            best = longer(best, match);
        }
        return best;
    }

    /** {@code methods} with those of the routes below {@code node} added; made when the first is found. */
    private static List<String> collect(Node node, String path, int start, List<String> methods) {
        methods = addMethods(node.prefixMatches, methods);
        if (start > path.length()) {
            return addMethods(node.exactMatches, methods);
        }
        int end = segmentEnd(path, start);
        Node literal = node.literals.get(path, start, end, false);
        if (literal != null) {
            methods = collect(literal, path, end + 1, methods);
        }
        if (node.param != null && end > start) {
            methods = collect(node.param, path, end + 1, methods);
        }
        return methods;
    }

    private static int segmentEnd(String path, int start) {
        int slash = path.indexOf('/', start);
        return slash < 0 ? path.length() : slash;
    }

    /** The prefix match with more segments; the one found first on a tie. */
    private static RouteMatch longer(RouteMatch first, RouteMatch second) {
        if (first == null) {
            return second;
        }
        return second != null && depth(second) > depth(first) ? second : first;
    }

    private static int depth(RouteMatch prefixMatch) {
        return prefixMatch.route().pattern().segments().size();
    }

    private static RouteMatch firstAllowing(RouteMatch[] matches, String method) {
        for (RouteMatch match : matches) {
            if (match.route().allows(method)) {
                return match;
            }
        }
        return null;
    }

    private static List<String> addMethods(RouteMatch[] matches, List<String> methods) {
        for (RouteMatch match : matches) {
            for (String method : match.route().config().methods()) {
                if (methods == null) {
                    methods = new ArrayList<>();
                }
                if (!methods.contains(method)) {
                    methods.add(method);
                }
            }
        }
        return methods;
    }

    private static RouteMatch[] append(RouteMatch[] matches, RouteMatch match) {
        RouteMatch[] longer = Arrays.copyOf(matches, matches.length + 1);
        longer[matches.length] = match;
        return longer;
    }

    private static final class Node {
        final RegionMap<Node> literals = new RegionMap<>();
        /** in file order */
        RouteMatch[] exactMatches = NONE;
        RouteMatch[] prefixMatches = NONE;
        Node param;
    }
}
