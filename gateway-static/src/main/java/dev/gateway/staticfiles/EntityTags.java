package dev.gateway.staticfiles;

/**
 * Entity tags (RFC 9110 §8.8.3): the strong tag of a file version, and matching a tag against
 * the {@code If-Match} / {@code If-None-Match} list syntax.
 *
 * <p>The list is scanned by hand rather than split on commas because an opaque tag may itself
 * contain a comma ({@code etagc} allows it).
 */
final class EntityTags {

    private EntityTags() {
    }

    /**
     * A strong tag that changes whenever the file is replaced or edited: modification time and
     * size in hex, like nginx, plus the coding for a precompressed variant, so that a cached
     * gzip body is never revalidated as the brotli one (RFC 9110 §8.8.3.3).
     */
    static String of(long lastModifiedMillis, long size, String coding) {
        String base = Long.toHexString(lastModifiedMillis) + '-' + Long.toHexString(size);
        return '"' + (coding == null ? base : base + '-' + coding) + '"';
    }

    /**
     * @param list the header value: {@code *} or a comma-separated list of tags
     * @param etag our strong tag, quotes included
     * @param strong strong comparison (If-Match, If-Range) or weak (If-None-Match), §8.8.3.2
     */
    static boolean matches(String list, String etag, boolean strong) {
        int i = 0;
        int n = list.length();
        while (i < n) {
            char c = list.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (c == '*') {
                return true;
            }
            boolean weak = list.startsWith("W/", i);
            int open = weak ? i + 2 : i;
            if (open >= n || list.charAt(open) != '"') {
                return false;
            }
            int close = list.indexOf('"', open + 1);
            if (close < 0) {
                return false;
            }
            if (!(weak && strong) && etag.regionMatches(0, list, open, close - open + 1)
                    && etag.length() == close - open + 1) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }
}
