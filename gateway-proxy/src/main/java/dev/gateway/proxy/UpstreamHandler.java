package dev.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an upstream connection's pipeline. While a call uses the connection it hands
 * every response part and event to that call; while the connection sits idle in the pool, anything
 * the target sends (data, EOF, reset) means the connection is no longer reusable, so it is closed
 * and the pool drops it.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private final UpstreamConnections pool;
    private Channel channel;
    private Deadline deadline;
    private ProxyExchange call;
    int requests;
    long idleSince;

    UpstreamHandler(UpstreamConnections pool) {
        this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
        this.deadline = new Deadline(ctx.executor(), this::deadlineExpired);
    }

    /** The route timeout of the call using this connection; one per connection, reused by every call. */
    Deadline deadline() {
        return deadline;
    }

    private void deadlineExpired() {
        ProxyExchange current = call;
        if (current != null) {
            current.onTimeout();
        }
    }

    Channel channel() {
        return channel;
    }

    void attach(ProxyExchange call) {
        this.call = call;
        requests++;
    }

    void detach() {
        this.call = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ProxyExchange current = call;
        if (current == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse) {
            current.onResponseHead((HttpResponse) msg);
        }
        if (msg instanceof HttpContent) {
            current.onResponseContent((HttpContent) msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ProxyExchange current = call;
        if (current != null) {
            current.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ProxyExchange current = call;
        if (current != null) {
            current.onUpstreamWritabilityChanged();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.remove(this);
        ProxyExchange current = call;
        call = null;
        if (current != null) {
            current.onUpstreamClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProxyExchange current = call;
        if (current != null) {
            current.onUpstreamError(cause);
        }
        ctx.close();
    }
}
