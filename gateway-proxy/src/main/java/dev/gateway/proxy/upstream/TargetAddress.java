package dev.gateway.proxy.upstream;

import dev.gateway.balancer.targets.Target;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/** Where a target is connected to: IP literals resolved once, here; names left to the async DNS resolver. */
final class TargetAddress {

    private TargetAddress() {
    }

    static SocketAddress of(Target target) {
        String host = target.host();
        if (isIpLiteral(host)) {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), target.port());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bad IP literal " + host, e);
            }
        }
        return InetSocketAddress.createUnresolved(host, target.port());
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
