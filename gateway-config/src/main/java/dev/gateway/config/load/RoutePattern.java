package dev.gateway.config.load;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A route's {@code path}: literal segments, {@code :name} parameters, and optionally {@code *} as
 * the whole last segment for a prefix match ({@code /api/*}, {@code /*}).
 *
 * @param path as written
 * @param params parameter names in order
 * @param prefix true when the path ends in {@code /*}
 */
record RoutePattern(String path, List<String> params, boolean prefix) {

    private static final Pattern PARAM = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** RFC 3986 pchar without '*' (reserved for prefixes) and '%' (checked as pct-encoding). */
    private static final String PCHAR_SYMBOLS = "-._~!$&'()+,;=:@";

    RoutePattern {
        params = List.copyOf(params);
    }

    static RoutePattern parse(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("'" + path + "' must start with '/' (e.g. \"/api/*\")");
        }
        String[] segments = path.substring(1).split("/", -1);
        List<String> params = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.isEmpty() && !last) {
                throw new IllegalArgumentException("'" + path + "' has an empty segment ('//')");
            }
            if (segment.indexOf('*') >= 0) {
                if (!segment.equals("*") || !last) {
                    throw new IllegalArgumentException("'" + path + "': '*' is only allowed as the whole last segment "
                            + "(e.g. \"/prefix/*\")");
                }
            } else if (segment.startsWith(":")) {
                String name = segment.substring(1);
                if (!PARAM.matcher(name).matches()) {
                    throw new IllegalArgumentException("'" + path + "': invalid parameter name '" + segment
                            + "' (expected ':' then a letter or '_', then letters, digits or '_')");
                }
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("'" + path + "': parameter '" + segment + "' appears twice");
                }
                params.add(name);
            } else {
                checkLiteral(path, segment);
            }
        }
        return new RoutePattern(path, params, path.endsWith("/*"));
    }

    /**
     * "/api/*" -> "api", "/users/:id" -> "users-id", "/" and "/*" -> "root"; characters other than
     * letters, digits, '.', '_' and '-' become '-' so the name is safe in logs and metric labels.
     */
    String derivedName() {
        List<String> parts = new ArrayList<>();
        for (String segment : path.substring(1).split("/")) {
            if (segment.isEmpty() || segment.equals("*")) {
                continue;
            }
            String part = (segment.startsWith(":") ? segment.substring(1) : segment)
                    .replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? "root" : String.join("-", parts);
    }

    /** The path with parameter names erased: two routes with the same shape match the same requests. */
    String shape() {
        return path.replaceAll("/:[^/]*", "/:");
    }

    private static void checkLiteral(String path, String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length() || Character.digit(segment.charAt(i + 1), 16) < 0
                        || Character.digit(segment.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("'" + path + "': '%' must start a percent-encoding such as %20");
                }
                i += 2;
            } else if (!(c < 128 && Character.isLetterOrDigit(c)) && PCHAR_SYMBOLS.indexOf(c) < 0) {
                throw new IllegalArgumentException("'" + path + "': character '" + c
                        + "' is not allowed in a path (percent-encode it)");
            }
        }
    }
}
