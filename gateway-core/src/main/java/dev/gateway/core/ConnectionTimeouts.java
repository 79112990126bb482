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
    /** Longest single wait of the check task: the shorter limit, so a new deadline is never earlier than it. */
    private final long stepNanos;
    private ChannelHandlerContext ctx;
    private State state = State.BUSY;
    /** When the current limit runs out (System.nanoTime), or 0 when none applies. */
    private long deadline;
    /** When the pending check task runs, or 0 when none is pending. */
    private long checkAt;

    ConnectionTimeouts(long idleNanos, long headerNanos) {
        this.idleNanos = idleNanos;
        this.headerNanos = headerNanos;
        this.stepNanos = Math.min(idleNanos, headerNanos);
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
     * Moves the deadline instead of scheduling and cancelling a task per request (each costs a
     * priority-queue operation on the event loop): at most one check task per connection is pending,
     * waiting at most {@code stepNanos}, and it re-schedules itself while a deadline lies ahead.
     */
    private void arm(long nanos) {
        long now = System.nanoTime();
        deadline = now + nanos;
        if (checkAt == 0) {
            scheduleCheck(now, Math.min(nanos, stepNanos));
        }
    }

    private void scheduleCheck(long now, long delay) {
        checkAt = now + delay;
        ctx.executor().schedule(this::check, delay, TimeUnit.NANOSECONDS);
    }

    private void check() {
        checkAt = 0;
        if (deadline == 0 || !ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        long left = deadline - now;
        if (left > 0) {
            scheduleCheck(now, Math.min(left, stepNanos));
        } else if (state != State.BUSY) {
            ctx.close();
        }
    }
}
