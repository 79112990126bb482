package dev.gateway.core.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A route path compiled into segments: {@code /exact}, {@code /users/:id}, {@code /prefix/*}, {@code /*}.
 * The config loader has already validated the syntax.
 */
public final class PathPattern {

    private final String text;
    private final List<String> segments;
    private final List<String> paramNames;
    /** for each :param, the index of its segment */
    private final int[] paramSegments;
    private final boolean prefix;

    private PathPattern(String text, List<String> segments, List<String> paramNames, int[] paramSegments,
            boolean prefix) {
        this.text = text;
        this.segments = segments;
        this.paramNames = paramNames;
        this.paramSegments = paramSegments;
        this.prefix = prefix;
    }

    static PathPattern parse(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw new IllegalArgumentException("path: '" + path + "' (expected: starting with '/')");
        }
        List<String> parts = new ArrayList<>(List.of(path.substring(1).split("/", -1)));
        boolean prefix = parts.get(parts.size() - 1).equals("*");
        if (prefix) {
            parts.remove(parts.size() - 1);
        }
        List<String> params = new ArrayList<>();
        int[] paramSegments = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            if (isParam(parts.get(i))) {
                paramSegments[params.size()] = i;
                params.add(parts.get(i).substring(1));
            }
        }
        return new PathPattern(path, List.copyOf(parts), List.copyOf(params),
                Arrays.copyOf(paramSegments, params.size()), prefix);
    }

    static boolean isParam(String segment) {
        return segment.length() > 1 && segment.charAt(0) == ':';
    }

    String text() {
        return text;
    }

    /** Literal or {@code :param} segments, without the trailing {@code *} of a prefix pattern. */
    List<String> segments() {
        return segments;
    }

    /** Names of the {@code :params} in order of appearance. */
    List<String> paramNames() {
        return paramNames;
    }

    /** Index of the segment that holds the {@code n}th :param. */
    int paramSegment(int n) {
        return paramSegments[n];
    }

    /** True for {@code /prefix/*} patterns, which match the prefix itself and everything below it. */
    public boolean isPrefix() {
        return prefix;
    }
}
