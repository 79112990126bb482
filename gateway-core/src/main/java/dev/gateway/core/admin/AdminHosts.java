package dev.gateway.core.admin;

import dev.gateway.core.routing.RouteTable;
import io.netty.util.NetUtil;
import java.util.List;
import java.util.Set;

/**
 * Which {@code Host} the admin listener answers to: an IP literal, {@code localhost}, or a name of
 * {@code [admin] allowed_hosts}. A page on {@code evil.example} whose name is re-pointed at the
 * admin address (DNS rebinding) reaches the listener with {@code Host: evil.example} and is turned
 * away, so its scripts never read {@code /status} or {@code /metrics}. 421 Misdirected Request
 * (RFC 9110 §15.5.20): this server is not authoritative for that name; no credential would help.
 * A request without Host (HTTP/1.0; HTTP/1.1 without one is a 400 before this) comes from no browser.
 */
final class AdminHosts {

    private final Set<String> allowed;

    /** @param allowed lower-case host names without port, as the config reader keeps them */
    AdminHosts(List<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    boolean accepts(String hostHeader) {
        String host = RouteTable.normalizeHost(hostHeader); // lower case, no port, no trailing dot
        if (host == null) { // absent or empty
            return true;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return NetUtil.isValidIpV6Address(host.substring(1, host.length() - 1));
        }
        return NetUtil.isValidIpV4Address(host) || host.equals("localhost") || allowed.contains(host);
    }
}
