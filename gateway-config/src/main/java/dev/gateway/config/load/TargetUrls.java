package dev.gateway.config.load;

import dev.gateway.config.IpLiterals;
import dev.gateway.config.TargetConfig;
import dev.gateway.config.toml.HttpSyntax;
import java.util.Locale;

/**
 * Target URLs: {@code http://host[:port]} or {@code https://host[:port]}, host being a name, an
 * IPv4 literal or a bracketed IPv6 literal. A target names a server, not a resource: paths, query
 * strings, fragments and credentials are refused, since changing the forwarded path is a route's
 * {@code rewrite} and silently dropping any of them would surprise.
 */
final class TargetUrls {

    private TargetUrls() {
    }

    static TargetConfig parse(String text, int weight) {
        String lower = text.toLowerCase(Locale.ROOT);
        boolean secure = lower.startsWith("https://");
        if (!secure && !lower.startsWith("http://")) {
            throw new IllegalArgumentException("'" + text + "' is not an http:// or https:// URL (expected e.g. "
                    + "\"http://10.0.0.1:8080\")");
        }
        String rest = lower.substring(secure ? 8 : 7);
        int end = 0;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(0, end);
        rejectSuffix(text, rest.substring(end));
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("'" + text + "' has user info; credentials do not belong in a target URL "
                    + "(set an Authorization header with request_headers instead)");
        }
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            host = close < 0 ? "" : authority.substring(1, close);
            if (close < 0 || !IpLiterals.isIpv6(host)) {
                throw new IllegalArgumentException("'" + text + "' has an invalid IPv6 address");
            }
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "' is not a valid URL");
                }
                port = after.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            if (!HttpSyntax.isHostname(host)) {
                throw new IllegalArgumentException("'" + text + "' has an invalid host '" + host + "'");
            }
        }
        int portNumber = port == null ? (secure ? 443 : 80) : port(port, text);
        String url = (secure ? "https://" : "http://") + authority;
        return new TargetConfig(url, secure, host, portNumber, weight);
    }

    private static void rejectSuffix(String text, String rest) {
        if (rest.isEmpty() || rest.equals("/")) {
            return;
        }
        String suffix = rest.startsWith("/?") || rest.startsWith("/#") ? rest.substring(1) : rest;
        switch (suffix.charAt(0)) {
            case '?':
                throw new IllegalArgumentException("'" + text + "' has a query string; a target URL is only "
                        + "scheme://host:port");
            case '#':
                throw new IllegalArgumentException("'" + text + "' has a fragment; a target URL is only "
                        + "scheme://host:port");
            default:
                throw new IllegalArgumentException("'" + text + "' has a path; a target URL is only scheme://host:port "
                        + "(to change the forwarded path, use the route's `rewrite` or `strip_prefix`)");
        }
    }

    private static int port(String port, String text) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("'" + port + "' in '" + text + "' is not a port (expected: 1-65535)");
        }
        return Integer.parseInt(port);
    }
}
