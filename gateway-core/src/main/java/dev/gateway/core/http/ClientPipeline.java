package dev.gateway.core.http;

import dev.gateway.config.ServerConfig;
import dev.gateway.core.compression.ResponseCompressor;
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
 * An exchange on a compressing route adds {@code compressor} (and, for a file, {@code compressorChunks})
 * right after {@code responseTracker} until its response is written, so the tracker counts the
 * bytes that go on the wire and files are read as bytes for the encoder.
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
    /** Only while a response of a compressing route is written: the compressor, and the chunker of file bodies. */
    static final String COMPRESSOR = "compressor";
    static final String COMPRESSOR_CHUNKS = "compressorChunks";
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

    /** Puts an exchange's compressor in place; {@code files}: the body may come as chunks of a file. */
    static void addCompressor(ChannelPipeline p, ResponseCompressor compressor, boolean files) {
        p.addAfter(RESPONSE_TRACKER, COMPRESSOR, compressor);
        if (files) {
            p.addAfter(COMPRESSOR, COMPRESSOR_CHUNKS, new ChunkedWriteHandler());
        }
    }

    /** Takes the compressor of a finished exchange out again. */
    static void removeCompressor(ChannelPipeline p) {
        if (p.get(COMPRESSOR_CHUNKS) != null) {
            p.remove(COMPRESSOR_CHUNKS);
        }
        if (p.get(COMPRESSOR) != null) {
            p.remove(COMPRESSOR);
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
