package dev.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

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
    private State state = State.BUSY;
    private ScheduledFuture<?> timer;

    ConnectionTimeouts(long idleNanos, long headerNanos) {
        this.idleNanos = idleNanos;
        this.headerNanos = headerNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The connection now waits for a request: the idle limit applies until its first byte. */
    void awaitHead() {
        state = State.IDLE;
        schedule(idleNanos);
    }

    /** A request head was decoded: no connection-level limit until {@link #awaitHead()}. */
    void headReceived() {
        state = State.BUSY;
        cancel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.IDLE && msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
            state = State.READING_HEAD;
            schedule(headerNanos);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void schedule(long nanos) {
        cancel();
        if (nanos > 0) {
            timer = ctx.executor().schedule(this::expire, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire() {
        timer = null;
        if (state != State.BUSY) {
            ctx.close();
        }
    }
}
