package dev.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/** Behaviours for {@link TestBackend}: each method returns a fresh handler for one connection. */
final class BackendHandlers {

    /** What the backend saw of one request. */
    record Seen(String method, String uri, Map<String, String> headers, String body) {
    }

    private BackendHandlers() {
    }

    /** Aggregates each request (up to 1 MiB) and lets the test answer it. */
    static ChannelHandler aggregating(BiConsumer<ChannelHandlerContext, FullHttpRequest> answer) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                ctx.pipeline().addBefore(ctx.name(), null, new HttpObjectAggregator(1024 * 1024));
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                FullHttpRequest request = (FullHttpRequest) msg;
                try {
                    answer.accept(ctx, request);
                } finally {
                    request.release();
                }
            }
        };
    }

    /** Records every request into {@code seen} and answers 200 with {@code body}, keeping the connection alive. */
    static ChannelHandler recording(BlockingQueue<Seen> seen, String body) {
        return aggregating((ctx, request) -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            request.headers().forEach(e -> headers.merge(e.getKey(), e.getValue(), (a, b) -> a + "|" + b));
            seen.add(new Seen(request.method().name(), request.uri(), headers,
                    request.content().toString(StandardCharsets.UTF_8)));
            ctx.writeAndFlush(text(HttpResponseStatus.OK, body));
        });
    }

    static ChannelHandler ok(String body) {
        return recording(new LinkedBlockingQueue<>(), body);
    }

    static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        return response;
    }

    /** Counts the bytes of each request body without keeping them, then answers with the count. */
    static ChannelHandler countingUpload() {
        return new SimpleChannelInboundHandler<HttpObject>() {
            long bytes;

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                if (msg instanceof HttpRequest) {
                    bytes = 0;
                }
                if (msg instanceof HttpContent) {
                    bytes += ((HttpContent) msg).content().readableBytes();
                }
                if (msg instanceof LastHttpContent) {
                    ctx.writeAndFlush(text(HttpResponseStatus.OK, Long.toString(bytes)));
                }
            }
        };
    }

    /**
     * Streams {@code total} bytes of a repeating pattern as a Content-Length response, writing only
     * while the connection is writable (so the backend itself never buffers much).
     */
    static ChannelHandler streamingDownload(long total) {
        return new ChannelInboundHandlerAdapter() {
            long remaining = -1;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
                if (msg instanceof LastHttpContent) {
                    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setContentLength(response, total);
                    ctx.write(response);
                    remaining = total;
                    writeMore(ctx);
                }
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                writeMore(ctx);
            }

            private void writeMore(ChannelHandlerContext ctx) {
                while (remaining > 0 && ctx.channel().isWritable()) {
                    int n = (int) Math.min(64 * 1024, remaining);
                    ByteBuf chunk = ctx.alloc().buffer(n);
                    for (int i = 0; i < n; i++) {
                        chunk.writeByte((int) ((total - remaining + i) % 251));
                    }
                    remaining -= n;
                    if (remaining == 0) {
                        ctx.writeAndFlush(new DefaultLastHttpContent(chunk));
                    } else {
                        ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(chunk));
                    }
                }
            }
        };
    }

    /** Accepts the connection, reads the request, and closes without answering. */
    static ChannelHandler closeWithoutAnswer() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
                if (msg instanceof LastHttpContent) {
                    ctx.close();
                }
            }
        };
    }

    /** Reads the request and never answers. */
    static ChannelHandler silent() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        };
    }

    /** Sends the head and half of a Content-Length body, then resets the connection. */
    static ChannelHandler truncating() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
                if (msg instanceof LastHttpContent) {
                    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setContentLength(response, 1000);
                    ctx.write(response);
                    ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(
                            Unpooled.wrappedBuffer(new byte[500]))).addListener(ChannelFutureListener.CLOSE);
                }
            }
        };
    }
}
