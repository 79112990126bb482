package dev.gateway.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * Hands decoded request messages to the {@link ClientHandler} one at a time, when it asks
 * ({@link #demand()}), while the socket keeps being read ({@code autoRead} on). What arrives early
 * (pipelined requests, body chunks the target cannot take yet) waits here; once what waits exceeds
 * {@link #MAX_QUEUED_BYTES} the socket is paused until the queue drains to half of that.
 *
 * <p>Everything queued counts: a body chunk its bytes, a request head the size it had on the wire
 * (so a client that pipelines thousands of small requests without reading the answers is paused as
 * soon as one whose body were that large would be), and every message a fixed overhead for its
 * objects. Consecutive small body chunks are merged into one buffer as they are queued: one read of
 * thousands of one-byte chunks then holds a few buffers, not thousands of objects. What one socket
 * read decodes beyond the bound still arrives (the decoder emits everything it has), so the bound
 * is exceeded by at most one read.
 *
 * <p>Queued messages are delivered in a loop, never by recursion: a handler that asks for the next
 * message while handling one only sets a flag the loop picks up.
 *
 * <p>Why not Netty's FlowControlHandler with {@code autoRead} off: that turns the socket's read
 * interest on and off around every request, two {@code epoll_ctl} system calls per request on
 * keep-alive connections (measured: a quarter of the syscall time under load). Here the interest
 * changes only under real backpressure, and a client that hangs up mid-request is noticed at once.
 */
final class ReadGate extends ChannelInboundHandlerAdapter {

    /** What one connection may hold before the socket is paused. */
    static final int MAX_QUEUED_BYTES = 64 * 1024;
    /** Counted for every queued message on top of its bytes: the objects that carry it. */
    static final int MESSAGE_OVERHEAD = 128;
    /** Body chunks smaller than this are copied into the queue's own merge buffer. */
    static final int MERGE_BELOW = 1024;
    private static final int MERGE_BUFFER = 8 * 1024;

    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean demand;
    private boolean delivering;
    private boolean paused;
    private long queuedBytes;
    /** The queue's last element when it is a merge buffer this gate allocated and may still append to. */
    private HttpContent mergeTail;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The next message, now if one is waiting, else as soon as it arrives. */
    void demand() {
        demand = true;
        if (!delivering) {
            deliverQueued();
        }
    }

    /** True when nothing waits here: the client owes the next bytes. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** True while the socket is paused because too much waits here: the gateway is the slow side. */
    boolean isPaused() {
        return paused;
    }

    /** Bytes counted against {@link #MAX_QUEUED_BYTES} now (for tests). */
    long queuedBytes() {
        return queuedBytes;
    }

    /** Messages waiting (for tests). */
    int queuedMessages() {
        return queue.size();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (demand && !delivering && queue.isEmpty()) {
            demand = false;
            delivering = true;
            try {
                ctx.fireChannelRead(msg);
            } finally {
                delivering = false;
            }
            deliverQueued();
            return;
        }
        enqueue(msg);
        if (!paused && queuedBytes >= MAX_QUEUED_BYTES) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void deliverQueued() {
        delivering = true;
        try {
            while (demand && !queue.isEmpty()) {
                demand = false;
                Object next = queue.poll();
                if (next == mergeTail) {
                    mergeTail = null;
                }
                queuedBytes -= cost(next);
                resumeIfDrained();
                ctx.fireChannelRead(next);
            }
        } finally {
            delivering = false;
        }
    }

    private void enqueue(Object msg) {
        if (msg instanceof HttpContent && !(msg instanceof LastHttpContent) && mergeInto((HttpContent) msg)) {
            return;
        }
        queue.add(msg);
        queuedBytes += cost(msg);
    }

    /**
     * Appends a small body chunk to the queue's tail when that is a body chunk too. Chunk boundaries
     * carry no meaning in HTTP/1.1 (RFC 9112 §7.1): an intermediary may re-chunk a body.
     */
    private boolean mergeInto(HttpContent content) {
        ByteBuf bytes = content.content();
        int length = bytes.readableBytes();
        if (length >= MERGE_BELOW || !content.decoderResult().isSuccess()) {
            return false;
        }
        Object tail = queue.peekLast();
        if (!(tail instanceof HttpContent) || tail instanceof LastHttpContent
                || !((HttpContent) tail).decoderResult().isSuccess()) {
            return false;
        }
        HttpContent tailContent = (HttpContent) tail;
        if (tail != mergeTail) {
            ByteBuf tailBytes = tailContent.content();
            if (tailBytes.readableBytes() + length > MERGE_BUFFER) {
                return false;
            }
            ByteBuf merged = ctx.alloc().buffer(MERGE_BUFFER);
            merged.writeBytes(tailBytes);
            queue.pollLast();
            queuedBytes -= cost(tailContent);
            tailContent.release();
            mergeTail = new DefaultHttpContent(merged);
            queue.add(mergeTail);
            queuedBytes += cost(mergeTail);
        } else if (mergeTail.content().writableBytes() < length) {
            return false;
        }
        mergeTail.content().writeBytes(bytes);
        queuedBytes += length;
        content.release();
        return true;
    }

    private void resumeIfDrained() {
        if (paused && queuedBytes < MAX_QUEUED_BYTES / 2) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseQueued();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseQueued();
    }

    private void releaseQueued() {
        Object msg;
        while ((msg = queue.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        mergeTail = null;
        queuedBytes = 0;
    }

    /** What a queued message counts against the bound: its size on the wire, roughly, plus its objects. */
    static long cost(Object msg) {
        long bytes = MESSAGE_OVERHEAD;
        if (msg instanceof HttpRequest) {
            HttpRequest head = (HttpRequest) msg;
            bytes += head.method().name().length() + head.uri().length() + 12 + headerBytes(head.headers());
        }
        if (msg instanceof ByteBufHolder) {
            bytes += ((ByteBufHolder) msg).content().readableBytes();
        }
        return bytes;
    }

    private static long headerBytes(HttpHeaders headers) {
        long bytes = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            bytes += header.getKey().length() + header.getValue().length() + 4;
        }
        return bytes;
    }
}
