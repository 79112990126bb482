package dev.gateway.core.http;

import dev.gateway.config.ServerConfig;
import dev.gateway.proxy.timer.Deadline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * The time limits of one client connection, as nginx and HAProxy keep them, each in its phase:
 * <ul>
 *   <li>{@code idle_timeout}: no request in progress, until the first byte of the next one;</li>
 *   <li>{@code header_timeout}: from that first byte until the request head is complete
 *       (slowloris);</li>
 *   <li>{@code body_timeout}: while a request body is read, the longest silence of the client;
 *       time when the gateway itself is not reading (its queue full, the socket paused) does not
 *       count;</li>
 *   <li>{@code send_timeout}: while a response is written, the longest time the client takes
 *       none of the bytes waiting for it; time when nothing waits (the gateway or its target is
 *       the slow side) does not count.</li>
 * </ul>
 * Sits in front of the HTTP decoder, so it sees every byte the client sends. Idle and header expiry
 * close the connection; body and send expiry are the exchange's to answer (a 408, or a close),
 * through {@link Expiry}. The input limits (idle, header, body) share one {@link Deadline}, the
 * output limit has its own; both are cancelled when the connection closes, so no timer keeps a
 * closed connection reachable.
 */
public final class ConnectionTimeouts extends ChannelInboundHandlerAdapter {

    /** What the connection's handler decides when a body or send limit is exceeded. */
    interface Expiry {

        /** True while the gateway waits for request body bytes the client has not sent yet. */
        boolean clientOwesBody();

        /** The client was silent for {@code body_timeout} while it owed body bytes. */
        void bodyTimedOut();

        /** The client took none of the waiting response bytes for {@code send_timeout}. */
        void sendTimedOut();
    }

    private enum Input { NONE, IDLE, HEAD, BODY }

    private final long idleNanos;
    private final long headerNanos;
    private final long bodyNanos;
    private final long sendNanos;
    private ChannelHandlerContext ctx;
    private Expiry expiry;
    private Deadline input;
    private Deadline output;
    private Input state = Input.NONE;
    private long lastRead;
    private boolean sending;
    /** What the outbound buffer looked like at the last send check: progress shows as a change. */
    private Object lastMessage;
    private long lastProgress;
    private long lastPending;
    /** Writability changes so far: the progress of an HTTP/2 stream, whose flow control has no outbound buffer. */
    private int writabilityChanges;
    private int lastWritabilityChanges;

    ConnectionTimeouts(ServerConfig server) {
        this(server.idleTimeout().toNanos(), server.headerTimeout().toNanos(), server.bodyTimeout().toNanos(),
                server.sendTimeout().toNanos());
    }

    public ConnectionTimeouts(long idleNanos, long headerNanos, long bodyNanos, long sendNanos) {
        this.idleNanos = idleNanos;
        this.headerNanos = headerNanos;
        this.bodyNanos = bodyNanos;
        this.sendNanos = sendNanos;
    }

    void expiry(Expiry expiry) {
        this.expiry = expiry;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.input = new Deadline(ctx.executor(), this::inputExpired);
        this.output = new Deadline(ctx.executor(), this::outputExpired);
        this.lastRead = input.now();
    }

    /** The connection now waits for a request: the idle limit applies until its first byte. */
    public void awaitHead() {
        state = Input.IDLE;
        arm(input, idleNanos);
    }

    /** A request head was decoded: no input limit until {@link #readingBody()} or {@link #awaitHead()}. */
    public void headReceived() {
        state = Input.NONE;
        input.disarm();
    }

    /** The request has a body to read: the client's silences count from now. */
    void readingBody() {
        state = Input.BODY;
        lastRead = input.now();
        arm(input, bodyNanos);
    }

    /** The request body was read to its end. */
    void bodyDone() {
        if (state == Input.BODY) {
            state = Input.NONE;
            input.disarm();
        }
    }

    /** A response head was written: the send limit applies until {@link #responseDone()}. */
    public void responseStarted() {
        if (!sending) {
            sending = true;
            snapshotOutput();
            arm(output, sendNanos);
        }
    }

    /** The last byte of the response was written (or the write failed). */
    public void responseDone() {
        sending = false;
        output.disarm();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // bytes of an HTTP/1.1 connection, or a frame of an HTTP/2 stream
        if (!(msg instanceof ByteBuf) || ((ByteBuf) msg).isReadable()) {
            lastRead = input.now();
            if (state == Input.IDLE) {
                state = Input.HEAD;
                arm(input, headerNanos);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        state = Input.NONE;
        sending = false;
        if (input != null) {
            input.cancel();
            output.cancel();
        }
    }

    private static void arm(Deadline deadline, long nanos) {
        if (nanos > 0) {
            deadline.arm(nanos);
        } else {
            deadline.disarm();
        }
    }

    private void inputExpired() {
        if (!ctx.channel().isActive()) {
            return;
        }
        switch (state) {
            case IDLE, HEAD -> ctx.close();
            case BODY -> bodyCheck();
            default -> { }
        }
    }

    private void bodyCheck() {
        long now = input.now();
        if (expiry == null || !expiry.clientOwesBody()) {
            lastRead = now; // the gateway is the one not reading: the client's silence starts over
            arm(input, bodyNanos);
            return;
        }
        long silent = now - lastRead;
        if (silent < bodyNanos) {
            arm(input, bodyNanos - silent);
            return;
        }
        state = Input.NONE;
        expiry.bodyTimedOut();
    }

    private void outputExpired() {
        if (!sending || !ctx.channel().isActive()) {
            return;
        }
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        boolean waiting;
        boolean progressed;
        if (buffer == null) { // an HTTP/2 stream: waiting means its flow-control window is spent
            waiting = !ctx.channel().isWritable();
            progressed = writabilityChanges != lastWritabilityChanges;
        } else {
            waiting = buffer.totalPendingWriteBytes() > 0;
            progressed = progressed(buffer);
        }
        if (!waiting || progressed) {
            snapshotOutput();
            arm(output, sendNanos);
            return;
        }
        sending = false;
        if (expiry != null) {
            expiry.sendTimedOut();
        } else {
            ctx.close();
        }
    }

    /** Bytes left the outbound buffer since the last check (as Netty's IdleStateHandler judges it). */
    private boolean progressed(ChannelOutboundBuffer buffer) {
        return buffer.current() != lastMessage || buffer.currentProgress() != lastProgress
                || buffer.totalPendingWriteBytes() != lastPending;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanges++;
        ctx.fireChannelWritabilityChanged();
    }

    private void snapshotOutput() {
        lastWritabilityChanges = writabilityChanges;
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        if (buffer != null) {
            lastMessage = buffer.current();
            lastProgress = buffer.currentProgress();
            lastPending = buffer.totalPendingWriteBytes();
        }
    }
}
