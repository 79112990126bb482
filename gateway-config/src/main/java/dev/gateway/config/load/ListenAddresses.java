package dev.gateway.config.load;

import dev.gateway.config.HostPort;
import dev.gateway.config.IpLiterals;
import dev.gateway.config.toml.HttpSyntax;

/**
 * Listen addresses: {@code "0.0.0.0:8080"}, {@code "[::1]:80"}, {@code "localhost:8080"}, or
 * {@code ":8080"} for every IPv4 interface. Port 0 asks the OS for a free port (tests).
 */
final class ListenAddresses {

    private static final String EXAMPLE = " (expected host:port, e.g. \"0.0.0.0:8080\", \"[::1]:8080\" or \":8080\")";

    private ListenAddresses() {
    }

    static HostPort parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || !text.startsWith(":", close + 1)) {
                throw new IllegalArgumentException("'" + text + "' is not a listen address" + EXAMPLE);
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (!IpLiterals.isIpv6(host)) {
                throw new IllegalArgumentException("'" + host + "' in '" + text + "' is not an IPv6 address");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + text + "' has no port" + EXAMPLE);
            }
            host = colon == 0 ? "0.0.0.0" : text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("'" + text + "': an IPv6 address needs brackets, e.g. \"[::1]:8080\"");
            }
            if (!HttpSyntax.isHostname(host)) {
                throw new IllegalArgumentException("'" + host + "' in '" + text + "' is not an IP address or host name");
            }
        }
        return new HostPort(host, port(port, text));
    }

    private static int port(String port, String text) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("'" + port + "' in '" + text + "' is not a port (expected: 0-65535)");
        }
        return Integer.parseInt(port);
    }
}
