package dev.gateway.core.tls;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What certificate selection needs from a TLS ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2):
 * the server name (RFC 6066 §3) and the offered application protocols (RFC 7301 §3.1). The ACME
 * tls-alpn-01 challenge (RFC 8737 §3) is told apart from ordinary handshakes by its ALPN, which
 * Netty's SNI handler does not look at.
 *
 * @param serverName lower case, without a trailing dot; null when the client sent none
 * @param protocols ALPN protocol names in the client's order; empty when none
 */
record ClientHello(String serverName, List<String> protocols) {

    static final ClientHello NONE = new ClientHello(null, List.of());

    private static final int SERVER_NAME = 0;
    private static final int ALPN = 16;
    private static final int HOST_NAME = 0;

    /** @param in the ClientHello body from {@code client_version} on, as Netty's SslClientHelloHandler hands it over */
    static ClientHello parse(ByteBuf in) {
        if (in == null) {
            return NONE;
        }
        try {
            int offset = in.readerIndex() + 34; // client_version (2) + random (32)
            int end = in.writerIndex();
            offset += 1 + in.getUnsignedByte(offset); // session_id
            offset += 2 + in.getUnsignedShort(offset); // cipher_suites
            offset += 1 + in.getUnsignedByte(offset); // compression_methods
            if (offset + 2 > end) {
                return NONE;
            }
            int limit = offset + 2 + in.getUnsignedShort(offset);
            offset += 2;
            if (limit > end) {
                return NONE;
            }
            String name = null;
            List<String> protocols = List.of();
            while (limit - offset >= 4) {
                int type = in.getUnsignedShort(offset);
                int length = in.getUnsignedShort(offset + 2);
                offset += 4;
                if (limit - offset < length) {
                    break;
                }
                if (type == SERVER_NAME) {
                    name = serverName(in, offset, offset + length);
                } else if (type == ALPN) {
                    protocols = protocols(in, offset, offset + length);
                }
                offset += length;
            }
            return new ClientHello(name, protocols);
        } catch (IndexOutOfBoundsException e) {
            return NONE; // truncated: the TLS engine will refuse it
        }
    }

    private static String serverName(ByteBuf in, int offset, int end) {
        offset += 2; // server_name_list length
        while (end - offset >= 3) {
            int type = in.getUnsignedByte(offset);
            int length = in.getUnsignedShort(offset + 1);
            offset += 3;
            if (end - offset < length) {
                return null;
            }
            if (type == HOST_NAME) {
                String host = in.toString(offset, length, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
                return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            }
            offset += length;
        }
        return null;
    }

    private static List<String> protocols(ByteBuf in, int offset, int end) {
        List<String> protocols = new ArrayList<>();
        offset += 2; // protocol_name_list length
        while (offset < end) {
            int length = in.getUnsignedByte(offset);
            offset += 1;
            if (end - offset < length) {
                break;
            }
            protocols.add(in.toString(offset, length, StandardCharsets.US_ASCII));
            offset += length;
        }
        return List.copyOf(protocols);
    }
}
