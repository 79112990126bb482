package dev.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
    /** When the current limit runs out (System.nanoTime), or 0 when none applies. */
    private long deadline;
    private boolean timerScheduled;

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
        arm(idleNanos);
    }

    /** A request head was decoded: no connection-level limit until {@link #awaitHead()}. */
    void headReceived() {
        state = State.BUSY;
        deadline = 0;
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
        deadline = 0;
        ctx.fireChannelInactive();
    }

    /**
     * Moves the deadline instead of scheduling and cancelling a task per request (both cost a
     * priority-queue operation on the event loop): one task per connection stays scheduled and, when
     * it fires early, re-schedules itself for what is left.
     */
    private void arm(long nanos) {
        if (nanos <= 0) {
            deadline = 0;
            return;
        }
        long next = System.nanoTime() + nanos;
        boolean earlier = deadline == 0 || next - deadline < 0;
        deadline = next;
        if (!timerScheduled || earlier) {
            schedule(nanos);
        }
    }

    private void schedule(long nanos) {
        timerScheduled = true;
        ctx.executor().schedule(this::check, nanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timerScheduled = false;
        if (deadline == 0 || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            schedule(left);
        } else if (state != State.BUSY) {
            ctx.close();
        }
    }
}
