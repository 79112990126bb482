package dev.gateway.proxy;

import dev.gateway.balancer.Pool;
import dev.gateway.balancer.Selection;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.proxy.upstream.UpstreamConnections;
import dev.gateway.proxy.upstream.UpstreamHandler;
import dev.gateway.proxy.upstream.UpstreamListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a {@link Forwarding} at one target: the balancer's selection, the connection the
 * attempt took from the pool or opened, and the route timeout running on it. It reports its outcome
 * to the balancer and the observer at most once, and gives its connection back (or closes it) at
 * most once. The connection's events reach the forwarding through the attempt that holds it, so the
 * forwarding can tell a late event of an earlier attempt from one of its current attempt.
 *
 * <p>Not thread-safe: the client connection, the forwarding and the upstream connection share one
 * event loop.
 */
final class UpstreamAttempt implements UpstreamListener {

    private static final Logger log = LoggerFactory.getLogger(UpstreamAttempt.class);

    private final Forwarding forwarding;
    private final Selection selection;
    private final Pool pool;
    private final UpstreamConnections connections;
    private final UpstreamObserver observer;
    private final long timeoutNanos;
    private final long startNanos = System.nanoTime();
    private long lastActivity = startNanos;
    private Channel channel;
    private UpstreamHandler handler;
    private boolean reusedConnection;
    private boolean reported;

    UpstreamAttempt(Forwarding forwarding, Selection selection, Pool pool, UpstreamConnections connections,
                    UpstreamObserver observer, long timeoutNanos) {
        this.forwarding = forwarding;
        this.selection = selection;
        this.pool = pool;
        this.connections = connections;
        this.observer = observer;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Takes the most recently used idle connection, unless {@code fresh}, else opens one; the
     * forwarding hears {@link Forwarding#connected} or {@link Forwarding#connectFailed}.
     */
    void start(boolean fresh) {
        connections.acquire(fresh, new UpstreamConnections.Acquirer() {
            @Override
            public void acquired(UpstreamHandler channel, boolean reused) {
                reusedConnection = reused;
                connected(channel);
            }

            @Override
            public void failed(Throwable cause) {
                forwarding.connectFailed(UpstreamAttempt.this, cause);
            }
        });
    }

    private void connected(UpstreamHandler connection) {
        if (!forwarding.wants(this)) {
            connections.release(connection);
            return;
        }
        handler = connection;
        channel = connection.channel();
        connection.attach(this);
        forwarding.connected(this);
        touch();
        if (handler != null) { // the forwarding may have ended at once (a body over the limit, say)
            // The route timeout bounds the wait for the first response byte and every later silence.
            handler.deadline().arm(timeoutNanos);
        }
    }

    Selection selection() {
        return selection;
    }

    Target target() {
        return selection.target();
    }

    boolean reusedConnection() {
        return reusedConnection;
    }

    /** True while the attempt holds a live connection (not before it connected, not after it ended). */
    boolean hasConnection() {
        return channel != null;
    }

    Channel channel() {
        return channel;
    }

    /** Something was sent or received: the route timeout counts from here. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /** From the start of the attempt to its last activity (the response head, for a latency). */
    long latencyNanos() {
        return lastActivity - startNanos;
    }

    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** Tells the balancer (breaker, strategy) and the observer (metrics) how the attempt ended; once. */
    void report(Outcome outcome) {
        if (reported) {
            return;
        }
        reported = true;
        selection.complete(outcome);
        observer.attemptCompleted(pool, selection.target(), outcome);
    }

    /**
     * Ends the attempt's hold on its connection: back to the pool when {@code reusable}, else closed.
     * Either way no event of that connection reaches the forwarding any more.
     */
    void release(boolean reusable) {
        UpstreamHandler connection = handler;
        Channel ch = channel;
        disown();
        if (connection == null) {
            return;
        }
        if (reusable) {
            connection.releaseWhenRead();
        } else {
            ch.close();
        }
    }

    /** The connection is closed already (the target closed it): forget it without touching it. */
    void lost() {
        disown();
    }

    /** Hands the connection over for a WebSocket tunnel: this attempt no longer owns or times it. */
    Channel takeForTunnel() {
        Channel ch = channel;
        disown();
        return ch;
    }

    private void disown() {
        if (handler != null) {
            handler.deadline().disarm(); // the deadline belongs to the connection's next user once pooled
            handler.detach();
        }
        handler = null;
        channel = null;
    }

    // ---- what the connection reports ---------------------------------------------------------

    @Override
    public void onResponseHead(HttpResponse response) {
        touch();
        forwarding.onResponseHead(this, response);
    }

    @Override
    public void onResponseContent(HttpContent content) {
        touch();
        forwarding.onResponseContent(this, content);
    }

    @Override
    public void onReadComplete() {
        forwarding.onUpstreamReadComplete(this);
    }

    @Override
    public void onWritabilityChanged() {
        forwarding.onUpstreamWritable(this);
    }

    @Override
    public void onClosed(boolean refused) {
        forwarding.onUpstreamClosed(this, refused);
    }

    @Override
    public void onError(Throwable cause) {
        log.debug("upstream {} failed: {}", selection.target(), cause.toString());
    }

    @Override
    public void onDeadline() {
        if (channel == null) {
            return;
        }
        if (!channel.config().isAutoRead() || forwarding.waitingForClientBody()) {
            // Paused by us for a slow client, or waiting for the client's body: the target is not the
            // one being silent, and the client's own limits (send_timeout, body_timeout) apply.
            handler.deadline().arm(timeoutNanos);
            return;
        }
        long idle = System.nanoTime() - lastActivity;
        if (idle < timeoutNanos) {
            handler.deadline().arm(timeoutNanos - idle);
            return;
        }
        log.debug("{} did not answer within {} ms", selection.target(), timeoutNanos / 1_000_000);
        forwarding.timedOut(this);
    }
}
