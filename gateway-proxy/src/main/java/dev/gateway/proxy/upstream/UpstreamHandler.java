package dev.gateway.proxy.upstream;

import dev.gateway.proxy.timer.Deadline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
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
    /** Inside a read: between the first channelRead of a socket read and its channelReadComplete. */
    private boolean reading;
    /** Released while reading: goes back to the pool at the end of the read, unless poisoned. */
    private boolean releasing;
    /** The target sent more after its complete response; the connection is not reused. */
    private boolean poisoned;
    /** The target said it did not process the request on this HTTP/2 stream. */
    private boolean refused;
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

    /**
     * Hands the connection back to its pool once the socket read in progress is over: bytes the
     * target sent after its complete response (a body on a 204 or 304, anything extra) are decoded
     * in the same read, and must make the connection unusable rather than become the next
     * request's response. Outside a read the connection goes back at once.
     */
    public void releaseWhenRead() {
        detach();
        if (reading) {
            releasing = true;
        } else {
            connections.release(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        UpstreamListener current = call;
        if (current == null) {
            ReferenceCountUtil.release(msg);
            if (releasing) {
                poisoned = true;
            } else {
                ctx.close(); // an idle pooled connection must stay silent
            }
            return;
        }
        if (msg instanceof HttpResponse) {
            current.onResponseHead((HttpResponse) msg);
        }
        if (msg instanceof HttpContent) {
            current.onResponseContent((HttpContent) msg);
        } else if (!(msg instanceof HttpResponse)) {
            ReferenceCountUtil.release(msg); // raw bytes after a 101 the exchange did not take
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (releasing) {
            releasing = false;
            if (poisoned) {
                ctx.close();
            } else {
                connections.release(this);
            }
            return;
        }
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
        deadline.cancel(); // no timer keeps a closed connection reachable
        connections.remove(this);
        UpstreamListener current = call;
        call = null;
        if (current != null) {
            current.onClosed(refused);
        }
    }

    /** An HTTP/2 stream learns from its connection that the target will not process it (RFC 9113 §8.7). */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2GoAwayFrame) {
            refused = true;
        } else if (evt instanceof Http2ResetFrame && ((Http2ResetFrame) evt).errorCode() == Http2Error.REFUSED_STREAM.code()) {
            refused = true;
        }
        ReferenceCountUtil.release(evt);
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
