package dev.gateway.proxy.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a {@link WebSocketTunnel}, the last handler of its connection's pipeline once the
 * HTTP codec is gone. What it reads is written to the other side's connection as it is; while that
 * connection cannot take more, this one stops reading (backpressure). The end of its input is
 * passed on as a half-close, its close as a close.
 */
final class TunnelEnd extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TunnelEnd.class);

    private final WebSocketTunnel tunnel;
    private final Channel channel;
    private TunnelEnd peer;
    /** Bytes read before the tunnel opened: left in an HTTP decoder when it was removed. */
    private ArrayDeque<ByteBuf> early;
    private boolean started;
    private boolean unflushed;
    private boolean inputShut;

    TunnelEnd(WebSocketTunnel tunnel, Channel channel) {
        this.tunnel = tunnel;
        this.channel = channel;
    }

    void pairWith(TunnelEnd other) {
        this.peer = other;
    }

    Channel channel() {
        return channel;
    }

    boolean inputShut() {
        return inputShut;
    }

    /** Both pipelines are raw now: relay what came early and read on. */
    void start() {
        started = true;
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ByteBuf buf;
        while (early != null && (buf = early.poll()) != null) {
            relay(buf);
        }
        flushPeer();
        channel.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg); // the end of the 101 from the HTTP decoder that was just removed
            return;
        }
        if (!started) {
            if (early == null) {
                early = new ArrayDeque<>(2);
            }
            early.add(buf);
            return;
        }
        relay(buf);
    }

    private void relay(ByteBuf buf) {
        int bytes = buf.readableBytes();
        if (bytes == 0) {
            buf.release();
            return;
        }
        tunnel.relayed(this, bytes);
        Channel out = peer.channel;
        out.write(buf, out.voidPromise());
        unflushed = true;
        if (!out.isWritable()) {
            // Pause before flushing: the flush may drain at once and fire the event that resumes us.
            channel.config().setAutoRead(false);
            flushPeer();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushPeer();
    }

    private void flushPeer() {
        if (unflushed) {
            unflushed = false;
            peer.channel.flush();
        }
    }

    /** This connection drained what the peer sent it: the peer may read again. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (started && channel.isWritable()) {
            peer.channel.config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            inputShut = true;
            flushPeer();
            tunnel.inputShutdown(this);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * Passes a half-close on once everything before it was written: a plain TCP peer gets FIN and
     * may still answer; TLS has no half-close of its own, so a TLS peer is closed.
     */
    void shutdownOutputAfterWrites() {
        boolean halfClosable = channel instanceof DuplexChannel && channel.pipeline().get(SslHandler.class) == null;
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (halfClosable && f.isSuccess()) {
                ((DuplexChannel) channel).shutdownOutput();
            } else {
                channel.close();
            }
        });
    }

    void closeAfterWrites() {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        tunnel.closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ByteBuf buf;
        while (early != null && (buf = early.poll()) != null) {
            buf.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("websocket connection {} failed: {}", channel, cause.toString());
        ctx.close();
    }
}
