package dev.gateway.proxy.upstream;

import dev.gateway.proxy.timer.Deadline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an upstream connection's pipeline. While an exchange uses the connection it hands
 * every response part and event to that exchange's {@link UpstreamListener}; while the connection sits idle in the pool, anything
 * the target sends (data, EOF, reset) means the connection is no longer reusable, so it is closed
 * and the pool drops it.
 */
public final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private final UpstreamConnections connections;
    private Channel channel;
    private Deadline deadline;
    private UpstreamListener call;
    int requests;
    long idleSince;

    UpstreamHandler(UpstreamConnections connections) {
        this.connections = connections;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.channel = ctx.channel();
        this.deadline = new Deadline(ctx.executor(), this::deadlineExpired);
    }

    /** The route timeout of the call using this connection; one per connection, reused by every call. */
    public Deadline deadline() {
        return deadline;
    }

    private void deadlineExpired() {
        UpstreamListener current = call;
        if (current != null) {
            current.onDeadline();
        }
    }

    public Channel channel() {
        return channel;
    }

    public void attach(UpstreamListener call) {
        this.call = call;
        requests++;
    }

    public void detach() {
        this.call = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener current = call;
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
        UpstreamListener current = call;
        if (current != null) {
            current.onReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener current = call;
        if (current != null) {
            current.onWritabilityChanged();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connections.remove(this);
        UpstreamListener current = call;
        call = null;
        if (current != null) {
            current.onClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamListener current = call;
        if (current != null) {
            current.onError(cause);
        }
        ctx.close();
    }
}
