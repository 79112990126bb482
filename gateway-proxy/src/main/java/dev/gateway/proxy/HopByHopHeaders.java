package dev.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Set;

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1): a proxy must not pass
 * them on. {@code Connection} itself, every header it names (except the {@link #PROTECTED} ones),
 * and the well-known ones below.
 */
final class HopByHopHeaders {

    private static final AsciiString[] ALWAYS = {
        HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"),
        HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING,
        HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE,
    };

    /**
     * End-to-end headers a {@code Connection} option never removes (RFC 9110 §7.6.1 lets a proxy
     * refuse options that name them): without them the message loses its framing, target, id,
     * credentials or meaning. {@code Transfer-Encoding} is in {@link #ALWAYS} and the body is
     * re-framed by the proxy, never by what a peer put in {@code Connection}.
     */
    private static final Set<AsciiString> PROTECTED = Set.of(
        HttpHeaderNames.HOST, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING,
        AsciiString.cached("x-request-id"), HttpHeaderNames.COOKIE, HttpHeaderNames.AUTHORIZATION,
        HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_ENCODING);

    private HopByHopHeaders() {
    }

    static void strip(HttpHeaders headers) {
        List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
        for (int i = 0; i < connection.size(); i++) {
            for (String token : connection.get(i).split(",")) {
                String name = token.trim();
                if (!name.isEmpty() && !PROTECTED.contains(AsciiString.of(name).toLowerCase())) {
                    headers.remove(name);
                }
            }
        }
        for (AsciiString name : ALWAYS) {
            headers.remove(name);
        }
    }
}
