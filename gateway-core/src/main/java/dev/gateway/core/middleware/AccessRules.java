package dev.gateway.core.middleware;

import dev.gateway.config.AccessConfig;
import dev.gateway.config.Cidr;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * {@code allow} / {@code deny} compiled for a route (or the {@code [access]} default): a client in
 * {@code deny} is refused; otherwise, when {@code allow} is not empty, a client outside it is
 * refused. The address judged is {@link ClientAddress}'s; one that cannot be known is refused.
 */
public final class AccessRules {

    private final Cidr[] allow;
    private final Cidr[] deny;
    private final ClientAddress clientAddress;

    public AccessRules(AccessConfig config, ClientAddress clientAddress) {
        this.allow = config.allow().toArray(new Cidr[0]);
        this.deny = config.deny().toArray(new Cidr[0]);
        this.clientAddress = clientAddress;
    }

    /** The rules of {@code config}, or null when it lets everyone in (so nothing is checked). */
    public static AccessRules of(AccessConfig config, ClientAddress clientAddress) {
        return config.isEmpty() ? null : new AccessRules(config, clientAddress);
    }

    /** True when the client may go on. */
    public boolean admits(String peer, HttpHeaders headers) {
        byte[] address = clientAddress.resolve(peer, headers);
        if (address == null) {
            return false;
        }
        if (matches(deny, address)) {
            return false;
        }
        return allow.length == 0 || matches(allow, address);
    }

    private static boolean matches(Cidr[] list, byte[] address) {
        for (Cidr cidr : list) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
