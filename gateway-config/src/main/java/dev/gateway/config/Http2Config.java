package dev.gateway.config;

/**
 * HTTP/2 towards clients: whether it is offered, and the limits every HTTP/2 connection is held to
 * (RFC 9113 §6.5.2 settings the gateway advertises).
 *
 * @param enabled offer {@code h2} by ALPN on the TLS listener ({@code [server] http2})
 * @param cleartext accept HTTP/2 with prior knowledge on the plain listener ({@code [server] h2c})
 * @param maxConcurrentStreams streams a client may have open at once
 * @param streamWindow bytes of one stream's request body the gateway takes before the target reads them
 * @param connectionWindow bytes of all streams' request bodies a connection may have in flight
 * @param headerTableSize the HPACK dynamic table the client may use for the gateway (bytes)
 */
public record Http2Config(boolean enabled, boolean cleartext, int maxConcurrentStreams, int streamWindow,
                          int connectionWindow, int headerTableSize) {
}
