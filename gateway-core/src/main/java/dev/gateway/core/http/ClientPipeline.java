package dev.gateway.core.http;

import dev.gateway.config.ServerConfig;
import dev.gateway.core.protocol.StrictHttpServerCodec;
import dev.gateway.proxy.websocket.WebSocketTunnel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * The request lifecycle's part of a client pipeline, and the names of every handler in it: the one
 * place they are spelled. The same handlers serve an HTTP/1.1 connection and one HTTP/2 stream, so
 * a request goes through one implementation whatever the protocol:
 * <pre>
 *   HTTP/1.1 connection: [tls] -> timeouts -> httpCodec -> [chunkedWriter] -> responseTracker -> readGate -> gateway
 *   HTTP/2 stream:       timeouts -> httpCodec (stream frames) -> bodyAdapter -> chunkedWriter -> responseTracker -> readGate -> gateway
 * </pre>
 * The connection-level handlers of HTTP/2 (TLS, the frame codec, the stream multiplexer) are the
 * listener's.
 */
public final class ClientPipeline {

    public static final String TLS = "tls";
    /** Decides the protocol (ALPN, or the HTTP/2 preface on a cleartext connection), then leaves. */
    public static final String PROTOCOL = "protocol";
    public static final String H2_CODEC = "h2Codec";
    public static final String H2_MULTIPLEX = "h2Multiplex";
    public static final String H2_GUARD = "h2Guard";
    public static final String H2_FLUSH = "h2Flush";
    public static final String HANDSHAKE_TIMEOUT = "handshakeTimeout";
    static final String TIMEOUTS = "timeouts";
    static final String HTTP_CODEC = "httpCodec";
    static final String BODY_ADAPTER = "bodyAdapter";
    static final String CHUNKED_WRITER = "chunkedWriter";
    static final String RESPONSE_TRACKER = "responseTracker";
    static final String READ_GATE = "readGate";
    static final String GATEWAY = "gateway";
    /** After a WebSocket upgrade, the only handler left after TLS: it relays raw bytes. */
    static final String RELAY = WebSocketTunnel.RELAY;

    /** Netty's default chunk size; bodies are streamed in pieces no larger than this. */
    private static final int MAX_CHUNK_SIZE = 16 * 1024;

    private ClientPipeline() {
    }

    /** Adds an HTTP/1.1 connection's handlers after whatever is there ({@code tls} when it is). */
    public static void addHttp1(ChannelPipeline p, ServerRuntime runtime, boolean tls) {
        ServerConfig server = runtime.snapshot().server();
        ConnectionTimeouts timeouts = new ConnectionTimeouts(server);
        p.addLast(TIMEOUTS, timeouts);
        p.addLast(HTTP_CODEC, new StrictHttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(server.maxInitialLine())
                .setMaxHeaderSize(server.maxHeaderSize())
                .setMaxChunkSize(MAX_CHUNK_SIZE)));
        if (tls) {
            // Files cannot go zero-copy through TLS; static files are then written as chunks.
            p.addLast(CHUNKED_WRITER, new ChunkedWriteHandler());
        }
        addLifecycle(p, runtime, timeouts, false);
    }

    /** Takes the HTTP/1.1 handlers out again (a cleartext connection that turned out to be HTTP/2). */
    public static void removeHttp1(ChannelPipeline p) {
        for (String name : new String[] {GATEWAY, READ_GATE, RESPONSE_TRACKER, CHUNKED_WRITER, HTTP_CODEC, TIMEOUTS}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }

    /** Adds the handlers of one HTTP/2 stream to its (child) channel's pipeline. */
    public static void addHttp2Stream(ChannelPipeline p, ServerRuntime runtime) {
        ConnectionTimeouts timeouts = new ConnectionTimeouts(runtime.snapshot().server());
        p.addLast(TIMEOUTS, timeouts);
        p.addLast(HTTP_CODEC, new Http2StreamFrameToHttpObjectCodec(true, false));
        p.addLast(BODY_ADAPTER, new Http2BodyAdapter());
        p.addLast(CHUNKED_WRITER, new ChunkedWriteHandler());
        addLifecycle(p, runtime, timeouts, true);
    }

    private static void addLifecycle(ChannelPipeline p, ServerRuntime runtime, ConnectionTimeouts timeouts,
                                     boolean http2Stream) {
        ReadGate gate = new ReadGate();
        ClientHandler gateway = new ClientHandler(runtime, timeouts, gate, http2Stream);
        p.addLast(RESPONSE_TRACKER, new ResponseTracker(gateway));
        p.addLast(READ_GATE, gate);
        p.addLast(GATEWAY, gateway);
    }
}
