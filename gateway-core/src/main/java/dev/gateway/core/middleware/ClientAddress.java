package dev.gateway.core.middleware;

import dev.gateway.config.Cidr;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import java.util.List;

/**
 * The address access control judges: the connection's peer, unless the peer is one of
 * {@code trusted_proxies}; then the {@code X-Forwarded-For} chain is read from the right, past
 * every trusted proxy, and the first address that is not one is the client (nginx's
 * {@code real_ip_recursive on}). Entries further left were written by the client and are never
 * believed. A chain that ends in something that is not an IP address gives no address at all:
 * such a request is refused rather than judged by the proxy's address.
 */
public final class ClientAddress {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");

    private final List<Cidr> trustedProxies;

    public ClientAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** The client's address as 4 or 16 bytes, or null when it cannot be known. */
    public byte[] resolve(String peer, HttpHeaders headers) {
        byte[] address = parse(peer);
        if (address == null || !trusted(address)) {
            return address;
        }
        List<String> lines = headers.getAll(X_FORWARDED_FOR);
        for (int line = lines.size() - 1; line >= 0; line--) {
            String value = lines.get(line);
            int end = value.length();
            while (end > 0) {
                int comma = value.lastIndexOf(',', end - 1);
                String hop = value.substring(comma + 1, end).trim();
                end = comma < 0 ? 0 : comma;
                if (hop.isEmpty()) {
                    continue;
                }
                byte[] hopAddress = parse(stripBrackets(hop));
                if (hopAddress == null) {
                    return null;
                }
                if (!trusted(hopAddress)) {
                    return hopAddress;
                }
                address = hopAddress;
            }
        }
        return address; // every hop was a trusted proxy: the leftmost is the client
    }

    /** An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) is the IPv4 address, so IPv4 lists match it. */
    private static byte[] parse(String ip) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
        if (bytes != null && bytes.length == 16 && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return bytes;
                }
            }
            return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
        }
        return bytes;
    }

    private static String stripBrackets(String hop) {
        return hop.length() > 2 && hop.charAt(0) == '[' && hop.charAt(hop.length() - 1) == ']'
                ? hop.substring(1, hop.length() - 1) : hop;
    }

    private boolean trusted(byte[] address) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
