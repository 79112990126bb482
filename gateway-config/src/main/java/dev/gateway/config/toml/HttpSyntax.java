package dev.gateway.config.toml;

import java.util.Locale;
import java.util.regex.Pattern;

/** Grammar checks for names that end up on the wire: tokens, host names, cookie names. */
public final class HttpSyntax {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");

    private HttpSyntax() {
    }

    /**
     * RFC 9110 §5.6.2 {@code token}: methods and header field names. Also RFC 6265 §4.1.1
     * {@code cookie-name}, which is a token too.
     */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = c < 128 && Character.isLetterOrDigit(c);
            if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A DNS host name (RFC 1123 labels, case-insensitive), an IPv4 literal also passes. Underscores
     * are let through because container runtimes hand out such names ({@code my_service}).
     */
    public static boolean isHostname(String s) {
        if (s.isEmpty() || s.length() > 253 || s.endsWith(".")) {
            return false;
        }
        for (String label : s.toLowerCase(Locale.ROOT).split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** A header value may not carry CR, LF or NUL (RFC 9110 §5.5): they would split the message. */
    public static boolean isHeaderValue(String s) {
        return s.indexOf('\r') < 0 && s.indexOf('\n') < 0 && s.indexOf('\0') < 0;
    }
}
