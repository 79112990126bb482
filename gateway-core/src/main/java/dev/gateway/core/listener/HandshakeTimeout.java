package dev.gateway.core.listener;

import dev.gateway.proxy.timer.Deadline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.time.Duration;

/**
 * Closes a TLS connection whose handshake is not done within {@code header_timeout}, counted from
 * the accept: a client that connects and never sends its ClientHello, or stops half-way, holds
 * nothing for longer than one that is slow to send a request head. Removes itself once the
 * handshake is over; the request limits take over from there.
 */
final class HandshakeTimeout extends ChannelInboundHandlerAdapter {

    private final long timeoutNanos;
    private Deadline deadline;

    HandshakeTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = new Deadline(ctx.executor(), () -> ctx.channel().close());
        deadline.arm(timeoutNanos);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            deadline.cancel();
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.cancel();
        ctx.fireChannelInactive();
    }
}
