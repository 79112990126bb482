package dev.gateway.core.listener;

import dev.gateway.core.http.ClientHandler;
import dev.gateway.proxy.timer.Deadline;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;

/**
 * Connection-level rules of an HTTP/2 client connection, between the frame codec and the stream
 * multiplexer:
 * <ul>
 *   <li>{@code idle_timeout}: a connection with no open stream and no frame for that long is
 *       closed (gracefully: GOAWAY first). A slowloris that never completes a frame is closed the
 *       same way.</li>
 *   <li>Graceful shutdown ({@link ClientHandler#DRAIN}): GOAWAY at once, then the open streams
 *       finish until {@code shutdown_timeout} (the codec's graceful shutdown), then the connection
 *       closes.</li>
 *   <li>The connection's receive window is raised from the 65,535 bytes of RFC 9113 §6.9.2 to
 *       {@code http2_connection_window}, so streams are not held back by the connection.</li>
 * </ul>
 */
final class Http2ConnectionGuard extends ChannelDuplexHandler {

    private final Http2FrameCodec codec;
    private final long idleNanos;
    private final int connectionWindow;
    private ChannelHandlerContext ctx;
    private Deadline idle;

    Http2ConnectionGuard(Http2FrameCodec codec, long idleNanos, int connectionWindow) {
        this.codec = codec;
        this.idleNanos = idleNanos;
        this.connectionWindow = connectionWindow;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Http2Exception {
        this.ctx = ctx;
        this.idle = new Deadline(ctx.executor(), this::idleExpired);
        Http2Connection connection = codec.connection();
        int increase = connectionWindow - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
        if (increase > 0) {
            connection.local().flowController().incrementWindowSize(connection.connectionStream(), increase);
            ctx.flush();
        }
        arm();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        arm();
        ctx.fireChannelRead(msg);
    }

    private void arm() {
        if (idleNanos > 0) {
            idle.arm(idleNanos);
        }
    }

    private void idleExpired() {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (codec.connection().numActiveStreams() > 0) {
            arm(); // streams have limits of their own (body_timeout, send_timeout)
            return;
        }
        ctx.channel().close(); // the codec sends GOAWAY first
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandler.DRAIN) {
            ctx.channel().close(); // GOAWAY, then the codec waits for the open streams
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        idle.cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        idle.cancel();
    }
}
