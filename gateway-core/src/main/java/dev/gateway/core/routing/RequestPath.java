package dev.gateway.core.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The path of a request target, normalized once before routing so that a route cannot be bypassed
 * with an equivalent spelling (RFC 3986 §6.2.2): percent-encoded unreserved characters are decoded,
 * {@code .} and {@code ..} segments are removed (§5.2.4), and the query is split off. Reserved
 * characters such as {@code %2F} stay encoded, so a segment boundary is never invented.
 */
public final class RequestPath {

    private final String path;
    private final String query;

    private RequestPath(String path, String query) {
        this.path = path;
        this.query = query;
    }

    /**
     * Parses an origin-form ({@code /a/b?q}) or absolute-form ({@code http://host/a?q}) request target.
     * An origin-form target without query or fragment that is already normal becomes the path as it
     * is, with no copy.
     *
     * @throws IllegalArgumentException for anything else, malformed percent-encoding, a NUL byte,
     *         or {@code ..} segments that climb above the root
     */
    public static RequestPath parse(String uri) {
        String target = uri.startsWith("/") ? uri : originForm(uri);
        int hash = target.indexOf('#');
        if (hash >= 0) {
            target = target.substring(0, hash);
        }
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        String query = question < 0 ? null : target.substring(question + 1);
        return new RequestPath(removeDotSegments(decodeUnreserved(rawPath)), query);
    }

    /** The path and query of an absolute-form target. */
    private static String originForm(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme <= 0) {
            throw new IllegalArgumentException("request target must be a path or an absolute URL");
        }
        int slash = uri.indexOf('/', scheme + 3);
        int question = uri.indexOf('?', scheme + 3);
        if (slash < 0 || (question >= 0 && question < slash)) {
            return "/" + (question >= 0 ? uri.substring(question) : "");
        }
        return uri.substring(slash);
    }

    /** Normalized path, still percent-encoded for reserved characters. */
    public String path() {
        return path;
    }

    /** Query string without the '?', or null when the target had none. */
    public String query() {
        return query;
    }

    /** Path plus "?query" when there was one. */
    String pathAndQuery() {
        return query == null ? path : path + "?" + query;
    }

    /** Segments are what lies between slashes: "/" has one, the empty segment. */
    int segmentCount() {
        int count = 1;
        for (int slash = path.indexOf('/', 1); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            count++;
        }
        return count;
    }

    String segment(int index) {
        int start = slashBefore(index) + 1;
        int end = path.indexOf('/', start);
        return path.substring(start, end < 0 ? path.length() : end);
    }

    /** The path below the first {@code depth} segments: "" when nothing is left, else starting with "/". */
    String remainderAfter(int depth) {
        int slash = slashBefore(depth);
        return slash < 0 ? "" : path.substring(slash);
    }

    /** Position of the '/' that starts segment {@code index}, or -1 past the last segment. */
    private int slashBefore(int index) {
        int slash = 0;
        for (int i = 0; i < index && slash >= 0; i++) {
            slash = path.indexOf('/', slash + 1);
        }
        return slash;
    }

    private static String decodeUnreserved(String raw) {
        if (raw.indexOf('%') < 0) {
            checkNoControl(raw);
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= raw.length()) {
                throw new IllegalArgumentException("truncated percent-encoding in path");
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("malformed percent-encoding in path");
            }
            char decoded = (char) (hi << 4 | lo);
            if (decoded == 0) {
                throw new IllegalArgumentException("NUL byte in path");
            }
            if (isUnreserved(decoded)) {
                out.append(decoded);
            } else {
                out.append('%').append(Character.toUpperCase(raw.charAt(i + 1))).append(Character.toUpperCase(raw.charAt(i + 2)));
            }
            i += 2;
        }
        String result = out.toString();
        checkNoControl(result);
        return result;
    }

    private static void checkNoControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character in path");
            }
        }
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static String removeDotSegments(String path) {
        if (path.indexOf("/.") < 0) {
            return path;
        }
        String[] parts = path.substring(1).split("/", -1);
        List<String> out = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.equals(".")) {
                if (last) {
                    out.add("");
                }
            } else if (part.equals("..")) {
                if (out.isEmpty()) {
                    throw new IllegalArgumentException("path climbs above the root");
                }
                out.remove(out.size() - 1);
                if (last) {
                    out.add("");
                }
            } else {
                out.add(part);
            }
        }
        return "/" + String.join("/", out);
    }
}
