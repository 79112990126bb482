package dev.gateway.core.http;

import dev.gateway.proxy.timer.Deadline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits in front of the HTTP decoder and enforces the two limits that protect a connection between
 * requests: {@code idle_timeout} while a keep-alive connection waits for its next request, and
 * {@code header_timeout} from the first byte of a request until its head is complete (slowloris).
 * Either one closes the connection. While a request is being handled the gateway handler owns timing.
 */
final class ConnectionTimeouts extends ChannelInboundHandlerAdapter {

    private enum State { IDLE, READING_HEAD, BUSY }

    private final long idleNanos;
    private final long headerNanos;
    private ChannelHandlerContext ctx;
    private Deadline deadline;
    private State state = State.BUSY;

    ConnectionTimeouts(long idleNanos, long headerNanos) {
        this.idleNanos = idleNanos;
        this.headerNanos = headerNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.deadline = new Deadline(ctx.executor(), this::expired);
    }

    /** The connection now waits for a request: the idle limit applies until its first byte. */
    void awaitHead() {
        state = State.IDLE;
        arm(idleNanos);
    }

    /** A request head was decoded: no connection-level limit until {@link #awaitHead()}. */
    void headReceived() {
        state = State.BUSY;
        deadline.disarm();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.IDLE && msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
            state = State.READING_HEAD;
            arm(headerNanos);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.disarm();
        ctx.fireChannelInactive();
    }

    private void arm(long nanos) {
        if (nanos > 0) {
            deadline.arm(nanos);
        } else {
            deadline.disarm();
        }
    }

    private void expired() {
        if (state != State.BUSY && ctx.channel().isActive()) {
            ctx.close();
        }
    }
}
