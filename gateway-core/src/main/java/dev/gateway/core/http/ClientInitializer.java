package dev.gateway.core.http;

import dev.gateway.config.ServerConfig;
import dev.gateway.core.tls.ServerTls;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.util.List;

/**
 * Builds the pipeline of each accepted client connection:
 * [tls] -> timeouts -> HTTP codec -> [chunked writer] -> response tracker -> read gate -> gateway.
 */
public final class ClientInitializer extends ChannelInitializer<SocketChannel> {

    /**
     * The application protocols this pipeline speaks after TLS, for ALPN (RFC 7301): {@code [server]
     * http2} offers {@code h2} only once it is listed here, so no client negotiates a protocol the
     * pipeline cannot read.
     */
    public static final List<String> PROTOCOLS = List.of("http/1.1");

    /** Netty's default chunk size; bodies are streamed in pieces no larger than this. */
    private static final int MAX_CHUNK_SIZE = 16 * 1024;

    private final ServerRuntime runtime;
    private final ConnectionLimiter limiter;
    private final ServerTls tls;
    private final Dispatcher dispatcher;

    /** @param tls the main listener's TLS, or null for plain HTTP */
    public ClientInitializer(ServerRuntime runtime, ConnectionLimiter limiter, ServerTls tls) {
        this.runtime = runtime;
        this.limiter = limiter;
        this.tls = tls;
        this.dispatcher = new Dispatcher(runtime);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!limiter.tryAdmit(ch)) {
            ch.close();
            return;
        }
        ServerConfig server = runtime.snapshot().server();
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast(ClientPipeline.TLS, tls.newHandler(ch));
        }
        ConnectionTimeouts timeouts = new ConnectionTimeouts(server);
        p.addLast(ClientPipeline.TIMEOUTS, timeouts);
        p.addLast(ClientPipeline.HTTP_CODEC, new StrictHttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(server.maxInitialLine())
                .setMaxHeaderSize(server.maxHeaderSize())
                .setMaxChunkSize(MAX_CHUNK_SIZE)));
        if (tls != null) {
            // Files cannot go zero-copy through TLS; static files are then written as chunks.
            p.addLast(ClientPipeline.CHUNKED_WRITER, new ChunkedWriteHandler());
        }
        ReadGate gate = new ReadGate();
        ClientHandler gateway = new ClientHandler(runtime, dispatcher, timeouts, gate);
        p.addLast(ClientPipeline.RESPONSE_TRACKER, new ResponseTracker(gateway));
        p.addLast(ClientPipeline.READ_GATE, gate);
        p.addLast(ClientPipeline.GATEWAY, gateway);
    }
}
