package dev.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body on its way up: pulled from the client one chunk at a time, and only while the
 * target connection can take more (backpressure). It also keeps the rule a retry depends on: a
 * chunk that arrives while no attempt holds a connection (one is being replaced, or a retry waits
 * out its backoff) waits here and goes first on the next connection, so a retry sends exactly the
 * bytes the client sent. A copy of what was sent is kept while it is at most {@value #REPLAY_LIMIT}
 * bytes (the size of nginx's default {@code client_body_buffer_size}), so a small body, a typical
 * gRPC call, can be sent again to the next attempt; beyond it the copy is dropped and
 * {@link #consumed()} says the request can no longer be replayed.
 */
final class RequestBodyRelay {

    static final int REPLAY_LIMIT = 16 * 1024;

    private final Downstream client;
    private UpstreamAttempt attempt;
    private boolean readRequested;
    private boolean consumed;
    private boolean sent;
    private boolean closed;
    private HttpContent pending;
    /** What went to a target so far, while replayable: retained duplicates, in order. */
    private List<HttpContent> replay = new ArrayList<>(2);
    private int replayBytes;

    /** @param hasBody false for a request without a body: it counts as sent from the start */
    RequestBodyRelay(Downstream client, boolean hasBody) {
        this.client = client;
        this.sent = !hasBody;
    }

    /** The head went out on {@code current}'s connection: the body follows, what waits first. */
    void start(UpstreamAttempt current) {
        attempt = current;
        if (replay != null && !replay.isEmpty()) {
            for (HttpContent sentBefore : replay) {
                current.channel().write(sentBefore.retainedDuplicate());
            }
            current.channel().flush();
        }
        if (sent) {
            return;
        }
        HttpContent waiting = pending;
        if (waiting != null) {
            pending = null;
            send(waiting);
        } else {
            askForMore();
        }
    }

    /** A chunk the client sent because it was asked; ownership passes here. */
    void onContent(HttpContent content) {
        readRequested = false;
        if (closed || sent) {
            content.release();
            return;
        }
        if (attempt == null || !attempt.hasConnection()) {
            if (pending != null) {
                pending.release(); // cannot happen: one chunk is asked for at a time
            }
            pending = content;
            return;
        }
        send(content);
    }

    /** The target connection of {@code from} can take more again. */
    void onWritable(UpstreamAttempt from) {
        if (from == attempt && attempt.hasConnection() && attempt.channel().isWritable()) {
            askForMore();
        }
    }

    private void send(HttpContent content) {
        consumed = true;
        keepForReplay(content);
        attempt.touch();
        Channel upstream = attempt.channel();
        if (content instanceof LastHttpContent) {
            sent = true;
            upstream.writeAndFlush(content);
            return;
        }
        upstream.writeAndFlush(content);
        if (upstream.isWritable()) {
            askForMore();
        }
    }

    private void keepForReplay(HttpContent content) {
        if (replay == null) {
            return;
        }
        replayBytes += content.content().readableBytes();
        if (replayBytes <= REPLAY_LIMIT) {
            replay.add(content.retainedDuplicate());
            return;
        }
        releaseReplay();
    }

    /** The response has begun: no attempt will follow, so no copy is kept any more. */
    void releaseReplay() {
        if (replay != null) {
            replay.forEach(HttpContent::release);
            replay = null;
        }
    }

    private void askForMore() {
        if (!readRequested && !sent && !closed) {
            readRequested = true;
            client.read();
        }
    }

    /** True once more body bytes reached a target than are kept for a replay: the request cannot be sent again. */
    boolean consumed() {
        return consumed && replay == null;
    }

    /** True once the whole body was sent (or there is none). */
    boolean sent() {
        return sent;
    }

    /** True while the client owes the next chunk to a target that could take it. */
    boolean waitingForClient() {
        return readRequested && !sent && !closed;
    }

    /** The forwarding is over: nothing more is asked for, and a waiting chunk is released. */
    void close() {
        closed = true;
        releaseReplay();
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
