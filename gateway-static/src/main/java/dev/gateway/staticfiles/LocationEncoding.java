package dev.gateway.staticfiles;

import java.nio.charset.StandardCharsets;

/**
 * Makes a request's path and query fit to be sent back in a {@code Location} header (RFC 9110
 * §10.2.2) without sending a browser elsewhere: what RFC 3986 does not allow in a path (§3.3) or a
 * query (§3.4) is percent-encoded, backslash, controls, space and non-ASCII included, and a path
 * starts with exactly one '/', so it can never read as a network path ({@code //host}, or
 * {@code /\host}, which browsers take for the same). A valid {@code %XX} is kept as it is.
 *
 * <p>Netty decodes the request line byte for byte, so a char up to U+00FF stands for one byte and
 * is encoded as that byte; a char above (not from the wire) is encoded as its UTF-8 bytes.
 * Used by the static site's directory redirect and by gateway-core's redirect routes.
 */
public final class LocationEncoding {

    private static final String SUB_DELIMS_AND_MORE = "-._~!$&'()*+,;=:@/";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private LocationEncoding() {
    }

    /** {@code path} with its leading slashes collapsed to one (added when it had none), encoded. */
    public static String path(String path) {
        int start = 0;
        while (start < path.length() && path.charAt(start) == '/') {
            start++;
        }
        if (start == 1 && isClean(path, start, false)) {
            return path;
        }
        return "/" + encode(path, start, false);
    }

    /** A query string (without its '?') with what a query may not hold encoded. */
    public static String query(String query) {
        return isClean(query, 0, true) ? query : encode(query, 0, true);
    }

    private static boolean isClean(String s, int from, boolean query) {
        for (int i = from; i < s.length(); i++) {
            if (!keeps(s, i, query)) {
                return false;
            }
        }
        return true;
    }

    private static String encode(String s, int from, boolean query) {
        StringBuilder out = new StringBuilder(s.length() - from + 16);
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (keeps(s, i, query)) {
                out.append(c);
            } else if (c <= 0xFF) {
                appendByte(out, c);
            } else {
                int codePoint = s.codePointAt(i);
                i += Character.charCount(codePoint) - 1;
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    appendByte(out, b & 0xFF);
                }
            }
        }
        return out.toString();
    }

    /** Whether the char at {@code i} may stay: an unreserved or sub-delim char, ':', '@', '/', a valid %XX; '?' in a query. */
    private static boolean keeps(String s, int i, boolean query) {
        char c = s.charAt(i);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || SUB_DELIMS_AND_MORE.indexOf(c) >= 0) {
            return true;
        }
        if (c == '%') {
            return i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0;
        }
        return query && c == '?';
    }

    private static void appendByte(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }
}
