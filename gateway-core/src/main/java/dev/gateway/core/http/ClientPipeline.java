package dev.gateway.core.http;

import dev.gateway.proxy.websocket.WebSocketTunnel;

/** Names of the handlers in a client pipeline, in pipeline order: the one place they are spelled. */
final class ClientPipeline {

    static final String TLS = "tls";
    static final String TIMEOUTS = "timeouts";
    static final String HTTP_CODEC = "httpCodec";
    static final String CHUNKED_WRITER = "chunkedWriter";
    static final String RESPONSE_TRACKER = "responseTracker";
    static final String READ_GATE = "readGate";
    static final String GATEWAY = "gateway";
    /** After a WebSocket upgrade, the only handler left after TLS: it relays raw bytes. */
    static final String RELAY = WebSocketTunnel.RELAY;

    private ClientPipeline() {
    }
}
