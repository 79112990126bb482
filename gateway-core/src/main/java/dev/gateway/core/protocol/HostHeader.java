package dev.gateway.core.protocol;

import io.netty.util.NetUtil;

/**
 * The syntax of a {@code Host} value (RFC 9110 §7.2): {@code uri-host [ ":" port ]} of RFC 3986
 * §3.2.2-3.2.3. A host is a reg-name (which covers IPv4 addresses) of unreserved characters and
 * percent-encodings, or an IPv6 literal in brackets; the sub-delims RFC 3986 also allows in a
 * reg-name ({@code !$&'()*+,;=}) are not accepted: no real host name has them, and they would only
 * carry smuggled syntax to targets and logs. The port is digits, at most 65535. Checked without
 * allocating for names, since every request has one.
 */
final class HostHeader {

    private static final int MAX_PORT = 65_535;

    private HostHeader() {
    }

    static boolean isValid(String host) {
        if (host.isEmpty()) {
            return true; // RFC 9112 §3.2: sent empty when the target URI has no authority
        }
        int end;
        if (host.charAt(0) == '[') {
            int close = host.indexOf(']');
            if (close < 0 || !isIpv6Literal(host.substring(1, close))) {
                return false;
            }
            end = close + 1;
        } else {
            int colon = host.indexOf(':');
            end = colon < 0 ? host.length() : colon;
            if (end == 0 || !isRegName(host, end)) {
                return false;
            }
        }
        return end == host.length() || (host.charAt(end) == ':' && isPort(host, end + 1));
    }

    /** IPv6 only: IPvFuture is not accepted, nor a zone id (RFC 6874), which names an interface of the client's. */
    private static boolean isIpv6Literal(String literal) {
        return literal.indexOf('%') < 0 && NetUtil.isValidIpV6Address(literal);
    }

    private static boolean isRegName(String host, int end) {
        for (int i = 0; i < end; i++) {
            char c = host.charAt(i);
            if (c == '%') {
                if (i + 2 >= end || !isHex(host.charAt(i + 1)) || !isHex(host.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!isUnreserved(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(String host, int start) {
        if (start == host.length()) {
            return false;
        }
        int port = 0;
        for (int i = start; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
            if (port > MAX_PORT) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
