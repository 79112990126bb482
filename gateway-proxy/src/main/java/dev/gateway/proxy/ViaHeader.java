package dev.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * {@code Via} (RFC 9110 §7.6.3): a proxy appends {@code received-protocol received-by} to the
 * messages it forwards, requests and responses alike, so loops and the chain of intermediaries can
 * be seen. The protocol is the one the message arrived with, written without its name since it is
 * HTTP; the gateway names itself by its configured pseudonym, never by host and port.
 */
final class ViaHeader {

    private ViaHeader() {
    }

    /**
     * @param received the protocol version of the message as the gateway received it
     * @param pseudonym the configured name; empty adds nothing
     */
    static void append(HttpHeaders headers, HttpVersion received, String pseudonym) {
        append(headers, received.majorVersion() + "." + received.minorVersion(), pseudonym);
    }

    /**
     * @param received the received-protocol as Via writes it: {@code 1.1}, {@code 1.0} or {@code 2}
     * @param pseudonym the configured name; empty adds nothing
     */
    static void append(HttpHeaders headers, String received, String pseudonym) {
        if (pseudonym.isEmpty()) {
            return;
        }
        String entry = received + " " + pseudonym;
        List<String> existing = headers.getAll(HttpHeaderNames.VIA);
        if (existing.isEmpty()) {
            headers.set(HttpHeaderNames.VIA, entry);
        } else {
            headers.set(HttpHeaderNames.VIA, String.join(", ", existing) + ", " + entry);
        }
    }
}
