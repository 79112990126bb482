package dev.gateway.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The path sent to the target. By default the request's (normalized) path; with
 * {@code strip_prefix} the part below the route's prefix; with {@code rewrite} the template with
 * its {@code {param}}s filled in, followed, on a prefix route, by the part below the prefix (as
 * nginx's {@code proxy_pass http://b/v2/;} does). The query string is always passed on untouched.
 */
final class UpstreamPath {

    private final boolean prefixRoute;
    private final boolean stripPrefix;
    private final List<String> templateParts;

    /**
     * @param rewrite template like "/v2/users/{id}", or null
     */
    UpstreamPath(boolean prefixRoute, boolean stripPrefix, String rewrite) {
        this.prefixRoute = prefixRoute;
        this.stripPrefix = stripPrefix;
        this.templateParts = rewrite == null ? null : split(rewrite);
    }

    /**
     * @param path the normalized request path
     * @param query the query without '?', or null
     * @param remainder the path below a prefix route's prefix: "" or starting with '/'
     * @param params the route's :param values
     */
    String build(String path, String query, String remainder, Map<String, String> params) {
        String result;
        if (templateParts != null) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < templateParts.size(); i++) {
                String part = templateParts.get(i);
                b.append(i % 2 == 0 ? part : params.getOrDefault(part, ""));
            }
            result = prefixRoute ? join(b.toString(), remainder) : b.toString();
        } else if (stripPrefix && prefixRoute) {
            result = remainder.isEmpty() ? "/" : remainder;
        } else {
            result = path;
        }
        return query == null ? result : result + "?" + query;
    }

    private static String join(String base, String remainder) {
        if (remainder.isEmpty()) {
            return base;
        }
        return base.endsWith("/") ? base + remainder.substring(1) : base + remainder;
    }

    /** Alternating literal / param-name parts: "/v2/{id}/x" -> ["/v2/", "id", "/x"]. */
    private static List<String> split(String template) {
        List<String> parts = new ArrayList<>();
        int at = 0;
        while (true) {
            int open = template.indexOf('{', at);
            int close = open < 0 ? -1 : template.indexOf('}', open);
            if (close < 0) {
                parts.add(template.substring(at));
                return parts;
            }
            parts.add(template.substring(at, open));
            parts.add(template.substring(open + 1, close));
            at = close + 1;
        }
    }
}
