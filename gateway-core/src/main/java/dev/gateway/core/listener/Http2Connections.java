package dev.gateway.core.listener;

import dev.gateway.config.Http2Config;
import dev.gateway.config.ServerConfig;
import dev.gateway.core.http.ClientPipeline;
import dev.gateway.core.http.ServerRuntime;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The connection-level handlers of an HTTP/2 client connection: Netty's frame codec with the limits
 * the gateway advertises and enforces, a guard for the connection's idle time and shutdown, and the
 * multiplexer that gives every stream a child channel running the common request lifecycle.
 *
 * <p>The known attacks on HTTP/2 servers are bounded with Netty's own counters:
 * <ul>
 *   <li>rapid reset (CVE-2023-44487): at most {@value #MAX_RESETS} streams reset by the client per
 *       {@value #RESET_WINDOW_SECONDS} s, then GOAWAY;</li>
 *   <li>CONTINUATION flood (CVE-2024-27316): the header block is bounded by
 *       {@code max_header_size}, and at most {@value #MAX_SMALL_CONTINUATIONS} small CONTINUATION
 *       frames are accepted for one;</li>
 *   <li>SETTINGS and PING floods: at most {@value #MAX_QUEUED_CONTROL_FRAMES} acknowledgements wait
 *       for a client that does not read them, then the connection is closed;</li>
 *   <li>empty DATA frames: at most {@value #MAX_EMPTY_DATA_FRAMES} in a row;</li>
 *   <li>zero-window stalls: a stream whose window the client never reopens is reset after
 *       {@code send_timeout}, a connection without streams closed after {@code idle_timeout}.</li>
 * </ul>
 */
final class Http2Connections {

    static final int MAX_RESETS = 200;
    static final int RESET_WINDOW_SECONDS = 30;
    static final int MAX_SMALL_CONTINUATIONS = 16;
    static final int MAX_QUEUED_CONTROL_FRAMES = 1_000;
    static final int MAX_EMPTY_DATA_FRAMES = 2;

    private final ServerRuntime runtime;

    Http2Connections(ServerRuntime runtime) {
        this.runtime = runtime;
    }

    void configure(ChannelPipeline p) {
        ServerConfig server = runtime.snapshot().server();
        Http2Config limits = server.http2();
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(limits.maxConcurrentStreams())
                        .initialWindowSize(limits.streamWindow())
                        .headerTableSize(limits.headerTableSize())
                        .maxHeaderListSize(server.maxHeaderSize()))
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS, RESET_WINDOW_SECONDS)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATIONS)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_EMPTY_DATA_FRAMES)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .gracefulShutdownTimeoutMillis(server.shutdownTimeout().toMillis())
                .build();
        p.addLast(ClientPipeline.H2_CODEC, codec);
        // Every stream's response flushes the connection; flushes are gathered per event-loop
        // cycle instead, so many responses go out in one TLS record and one write.
        p.addLast(ClientPipeline.H2_FLUSH, new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        p.addLast(ClientPipeline.H2_GUARD, new Http2ConnectionGuard(codec, server.idleTimeout().toNanos(),
                limits.connectionWindow()));
        p.addLast(ClientPipeline.H2_MULTIPLEX, new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                ClientPipeline.addHttp2Stream(stream.pipeline(), runtime);
            }
        }));
    }
}
