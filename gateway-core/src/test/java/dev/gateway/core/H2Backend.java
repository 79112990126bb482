package dev.gateway.core;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cleartext HTTP/2 backend (prior knowledge, what {@code protocol = "h2c"} reaches) built on
 * Netty's frame codec, so a test can make it misbehave at the frame level: refuse streams, send
 * GOAWAY, reset. Every request (the method and path, its body and trailers) is recorded.
 */
final class H2Backend implements AutoCloseable {

    /** What the backend does with each stream once the request is complete. */
    enum Behaviour {
        /** 200, body {@code name + ":" + body}, and a trailer {@code x-checksum: ok} */
        ANSWER,
        /** as ANSWER, 200 ms later: requests overlap */
        ANSWER_LATER,
        /** RST_STREAM REFUSED_STREAM: the request was not processed (RFC 9113 §8.7) */
        REFUSE,
        /** GOAWAY with last-stream-id 0 before answering: nothing on the connection was processed */
        GOAWAY_UNPROCESSED,
        /** answers, then GOAWAY with this stream as the last: a graceful shutdown of the connection */
        ANSWER_THEN_GOAWAY,
        /** RST_STREAM INTERNAL_ERROR before any response */
        RESET,
        /** a response head and some body, then RST_STREAM INTERNAL_ERROR */
        RESET_MID_BODY
    }

    record Seen(String method, String path, String body, Map<String, String> trailers, Channel connection) {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final String name;
    volatile Behaviour behaviour;
    final AtomicInteger connections = new AtomicInteger();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** The most streams ever open at once on one connection. */
    final AtomicInteger maxConcurrent = new AtomicInteger();

    private H2Backend(String name, Behaviour behaviour, int maxConcurrentStreams) throws InterruptedException {
        this.name = name;
        this.behaviour = behaviour;
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams))
                                .build(), new Streams());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    static H2Backend start(String name, Behaviour behaviour) throws InterruptedException {
        return new H2Backend(name, behaviour, 100);
    }

    static H2Backend start(String name, Behaviour behaviour, int maxConcurrentStreams) throws InterruptedException {
        return new H2Backend(name, behaviour, maxConcurrentStreams);
    }

    String url() {
        return "http://127.0.0.1:" + ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    /** The frames of one connection: requests are collected per stream and answered when complete. */
    private final class Streams extends ChannelDuplexHandler {
        private final Map<Http2FrameStream, Request> open = new HashMap<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame headers) {
                    Request request = open.get(headers.stream());
                    if (request == null) {
                        request = new Request(headers.headers());
                        open.put(headers.stream(), request);
                        maxConcurrent.accumulateAndGet(open.size(), Math::max);
                    } else {
                        headers.headers().forEach(h -> open.get(headers.stream()).trailers.put(h.getKey().toString(),
                                h.getValue().toString()));
                    }
                    if (headers.isEndStream()) {
                        complete(ctx, headers.stream());
                    }
                } else if (msg instanceof Http2DataFrame data) {
                    Request request = open.get(data.stream());
                    request.body.append(data.content().toString(StandardCharsets.UTF_8));
                    if (data.isEndStream()) {
                        complete(ctx, data.stream());
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void complete(ChannelHandlerContext ctx, Http2FrameStream stream) {
            Request request = open.get(stream);
            seen.add(new Seen(request.head.method().toString(), request.head.path().toString(), request.body.toString(),
                    Map.copyOf(request.trailers), ctx.channel()));
            switch (behaviour) {
                case REFUSE -> reset(ctx, stream, Http2Error.REFUSED_STREAM);
                case GOAWAY_UNPROCESSED -> {
                    // the frame API counts from the last stream received; the connection handler can say 0
                    Http2FrameCodec codec = ctx.pipeline().get(Http2FrameCodec.class);
                    ChannelHandlerContext codecCtx = ctx.pipeline().context(codec);
                    codec.goAway(codecCtx, 0, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, codecCtx.newPromise())
                            .addListener(f -> ctx.close());
                    codecCtx.flush();
                }
                case RESET -> reset(ctx, stream, Http2Error.INTERNAL_ERROR);
                case RESET_MID_BODY -> {
                    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(stream));
                    ctx.write(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("partial", StandardCharsets.UTF_8)).stream(stream));
                    reset(ctx, stream, Http2Error.INTERNAL_ERROR);
                }
                case ANSWER_LATER -> ctx.executor().schedule(() -> answer(ctx, stream, request), 200,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                default -> {
                    answer(ctx, stream, request);
                    if (behaviour == Behaviour.ANSWER_THEN_GOAWAY) {
                        ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
                    }
                }
            }
        }

        private void answer(ChannelHandlerContext ctx, Http2FrameStream stream, Request request) {
            open.remove(stream);
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .set("content-type", "text/plain")).stream(stream));
            ctx.write(new DefaultHttp2DataFrame(ByteBufUtil.writeUtf8(ctx.alloc(), name + ":" + request.body)).stream(stream));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("x-checksum", "ok"), true).stream(stream));
        }

        private void reset(ChannelHandlerContext ctx, Http2FrameStream stream, Http2Error error) {
            open.remove(stream);
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(error).stream(stream));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static final class Request {
        final Http2Headers head;
        final StringBuilder body = new StringBuilder();
        final Map<String, String> trailers = new HashMap<>();

        Request(Http2Headers head) {
            this.head = head;
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
