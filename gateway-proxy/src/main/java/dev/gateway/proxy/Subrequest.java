package dev.gateway.proxy;

import dev.gateway.balancer.Pool;
import dev.gateway.balancer.Selection;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.proxy.upstream.UpstreamConnections;
import dev.gateway.proxy.upstream.UpstreamHandler;
import dev.gateway.proxy.upstream.UpstreamListener;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A request the gateway sends on its own behalf (a forward_auth check) over the same pooled
 * connections, breakers and metrics as forwarded requests: a head without a body, an answer held
 * whole up to a bound. The whole exchange has one time limit, connect included. A reused
 * keep-alive connection that turns out closed gets one more try on a fresh one, as forwarding
 * does. Runs on {@code loop}, which is the client connection's, and tells its callback once.
 */
public final class Subrequest implements UpstreamListener {

    /** How a subrequest ended; called once, on the loop. */
    public interface Callback {
        /** The answer, head and body, hop-by-hop headers removed; ownership passes to the callback. */
        void answered(FullHttpResponse answer);

        void failed(String why);
    }

    private final Forwarder forwarder;
    private final EventLoop loop;
    private final Pool pool;
    private final HttpRequest head;
    private final int maxBody;
    private final Callback callback;
    private final long startNanos = System.nanoTime();
    private Selection selection;
    private UpstreamConnections connections;
    private UpstreamHandler connection;
    private boolean reused;
    private boolean retried;
    private HttpResponse response;
    private CompositeByteBuf body;
    private ScheduledFuture<?> timer;
    private boolean done;

    private Subrequest(Forwarder forwarder, EventLoop loop, Pool pool, HttpRequest head, int maxBody, Callback callback) {
        this.forwarder = forwarder;
        this.loop = loop;
        this.pool = pool;
        this.head = head;
        this.maxBody = maxBody;
        this.callback = callback;
    }

    /**
     * Sends {@code head} (a request without a body) to a target of {@code pool}. Must be called on
     * {@code loop}.
     *
     * @param clientIp the client the subrequest is for (what hash strategies key on)
     * @param maxBody the largest answer body held; a larger one fails the subrequest
     */
    public static void send(Forwarder forwarder, EventLoop loop, Pool pool, HttpRequest head, String clientIp,
                            long timeoutNanos, int maxBody, Callback callback) {
        Subrequest sub = new Subrequest(forwarder, loop, pool, head, maxBody, callback);
        sub.selection = pool.select(new HttpRequestKey(clientIp, head.uri(), head.headers()), List.of());
        if (sub.selection == null) {
            sub.done = true;
            callback.failed("no target of " + pool.config().name() + " can take it");
            return;
        }
        sub.timer = loop.schedule(sub::timedOut, timeoutNanos, TimeUnit.NANOSECONDS);
        sub.connections = forwarder.connections(loop, sub.selection.target(), pool);
        sub.acquire(false);
    }

    private void acquire(boolean fresh) {
        connections.acquire(fresh, new UpstreamConnections.Acquirer() {
            @Override
            public void acquired(UpstreamHandler channel, boolean wasUsed) {
                if (done) {
                    connections.release(channel);
                    return;
                }
                connection = channel;
                reused = wasUsed;
                channel.attach(Subrequest.this);
                channel.channel().write(head);
                channel.channel().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }

            @Override
            public void failed(Throwable cause) {
                fail(cause instanceof ConnectTimeoutException ? Outcome.Kind.CONNECT_TIMEOUT : Outcome.Kind.CONNECT_FAILURE,
                        "connect failed: " + cause.getMessage());
            }
        });
    }

    @Override
    public void onResponseHead(HttpResponse head) {
        if (done) {
            return;
        }
        if (!head.decoderResult().isSuccess()) {
            fail(Outcome.Kind.INVALID_RESPONSE, "invalid answer: " + head.decoderResult().cause());
            return;
        }
        if (head.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            return; // interim answers are not the verdict; their empty end is skipped below
        }
        response = head;
        body = connection.channel().alloc().compositeBuffer();
    }

    @Override
    public void onResponseContent(HttpContent content) {
        if (done || response == null) {
            content.release();
            return;
        }
        if (!content.decoderResult().isSuccess()) {
            content.release();
            fail(Outcome.Kind.INVALID_RESPONSE, "invalid answer body");
            return;
        }
        body.addComponent(true, content.content().retain());
        boolean last = content instanceof LastHttpContent;
        content.release();
        if (body.readableBytes() > maxBody) {
            fail(Outcome.Kind.INVALID_RESPONSE, "answer body over " + maxBody + " bytes");
            return;
        }
        if (last) {
            complete();
        }
    }

    private void complete() {
        done = true;
        timer.cancel(false);
        int status = response.status().code();
        report(Outcome.response(status, System.nanoTime() - startNanos));
        boolean keepAlive = HttpUtil.isKeepAlive(response);
        UpstreamHandler used = connection;
        disown();
        if (keepAlive) {
            used.releaseWhenRead();
        } else {
            used.channel().close();
        }
        HopByHopHeaders.strip(response.headers());
        FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), body,
                response.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
        answer.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        answer.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        body = null;
        callback.answered(answer);
    }

    @Override
    public void onReadComplete() {
    }

    @Override
    public void onWritabilityChanged() {
    }

    @Override
    public void onClosed(boolean refused) {
        if (done) {
            return;
        }
        connection = null;
        if (reused && !retried && response == null) {
            retried = true; // a kept-alive connection the service had closed while it was idle
            releaseBody();
            acquire(true);
            return;
        }
        fail(Outcome.Kind.RESET, "connection closed before a complete answer");
    }

    @Override
    public void onError(Throwable cause) {
    }

    @Override
    public void onDeadline() {
    }

    private void timedOut() {
        if (!done) {
            fail(Outcome.Kind.TIMEOUT, "no complete answer in time");
        }
    }

    private void fail(Outcome.Kind kind, String why) {
        if (done) {
            return;
        }
        done = true;
        if (timer != null) {
            timer.cancel(false);
        }
        report(Outcome.failure(kind, System.nanoTime() - startNanos));
        UpstreamHandler used = connection;
        disown();
        if (used != null) {
            used.channel().close();
        }
        releaseBody();
        callback.failed(why);
    }

    private void report(Outcome outcome) {
        selection.complete(outcome);
        forwarder.observer().attemptCompleted(pool, selection.target(), outcome);
    }

    private void disown() {
        if (connection != null) {
            connection.deadline().disarm();
            connection.detach();
            connection = null;
        }
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
        response = null;
    }
}
