package dev.gateway.proxy;

import dev.gateway.balancer.Pool;
import dev.gateway.balancer.Selection;
import dev.gateway.balancer.strategy.RequestKey;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.proxy.websocket.WebSocketMetrics;
import dev.gateway.proxy.websocket.WebSocketTunnel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request forwarded to a pool, from picking a target to the last byte of the response: the
 * proxy side of an exchange. Each try at a target is an {@link UpstreamAttempt}; this class decides
 * what to send it, what to relay to the {@link Downstream} and whether to try again.
 * Everything runs on the client connection's event loop, which is also the loop of the upstream
 * connection, so the state below needs no synchronization.
 *
 * <p>A failed attempt is retried as {@link RetryPolicy} decides, never once response bytes went out.
 *
 * <p>A WebSocket handshake goes the same way on a fresh connection that is never pooled; a {@code 101}
 * answer turns both connections into a {@link WebSocketTunnel}.
 */
public final class Forwarding {

    private static final Logger log = LoggerFactory.getLogger(Forwarding.class);

    private final Forwarder forwarder;
    private final Downstream client;
    private final ChannelHandlerContext clientCtx;
    private final EventLoop loop;
    private final HttpRequest request;
    private final String clientHost; // before preserve_host may replace it: ${host}
    private final ProxyRoute route;
    private final RequestKey key;
    private final RetryPolicy retries;
    private final boolean hasBody;
    private final boolean clientHttp10;
    private final boolean upgrade;
    private final boolean headRequest;
    private final boolean rewriteHost;
    /** The client can take trailers: HTTP/2, or HTTP/1.1 with {@code TE: trailers}. */
    private final boolean acceptsTrailers;
    private final List<Target> tried = new ArrayList<>(2);

    /** The attempt in progress, or the last one once the forwarding is finished. */
    private UpstreamAttempt attempt;
    private final RequestBodyRelay body;
    private boolean skippingInformational;
    /** An interim response other than 100 Continue came first; see {@link #onResponseHead}. */
    private boolean sawInterim;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private int status;
    private boolean finished;

    /**
     * @param upgrade true for a WebSocket handshake on a websocket route
     * @param acceptsTrailers the client can take response trailers
     */
    Forwarding(Forwarder forwarder, Downstream client, HttpRequest request, String clientHost, boolean clientHttp10,
               boolean upgrade, boolean acceptsTrailers, ProxyRoute route, RequestKey key) {
        this.clientHost = clientHost;
        this.forwarder = forwarder;
        this.client = client;
        this.clientCtx = client.context();
        this.loop = clientCtx.channel().eventLoop();
        this.request = request;
        this.route = route;
        this.key = key;
        HttpMethod method = request.method();
        this.retries = new RetryPolicy(method, route.config().retries(), route.pool().retryBudget());
        this.hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        this.body = new RequestBodyRelay(client, hasBody);
        this.clientHttp10 = clientHttp10;
        this.upgrade = upgrade;
        this.acceptsTrailers = acceptsTrailers;
        this.headRequest = method == HttpMethod.HEAD;
        this.rewriteHost = !route.config().preserveHost() || !request.headers().contains(HttpHeaderNames.HOST);
    }

    void start() {
        route.pool().retryBudget().deposit();
        attempt(false);
    }

    // ---- attempts -------------------------------------------------------------------------------

    private void attempt(boolean forceFresh) {
        Pool pool = route.pool();
        Selection selection = pool.select(key, tried);
        if (selection == null) {
            FullHttpResponse response = client.error(HttpResponseStatus.SERVICE_UNAVAILABLE);
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            respondWithError(response);
            return;
        }
        Target target = selection.target();
        tried.add(target);
        client.upstreamChosen(target.url());
        attempt = new UpstreamAttempt(this, selection, pool, forwarder.connections(loop, target, pool),
                forwarder.observer(), route.timeoutNanos());
        attempt.start(forceFresh || upgrade);
    }

    /** Whether a connection that just became ready is still wanted by {@code candidate}. */
    boolean wants(UpstreamAttempt candidate) {
        return !finished && candidate == attempt;
    }

    /** The attempt holds a connection: send the head, then the body as the client provides it. */
    void connected(UpstreamAttempt current) {
        Channel ch = current.channel();
        if (rewriteHost) {
            request.headers().set(HttpHeaderNames.HOST, current.target().config().authority());
        }
        ch.write(request);
        if (!hasBody) {
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        ch.flush();
        client.sendContinue();
        body.start(current);
    }

    void connectFailed(UpstreamAttempt failed, Throwable cause) {
        if (finished || failed != attempt) {
            return;
        }
        Outcome.Kind kind = cause instanceof ConnectTimeoutException ? Outcome.Kind.CONNECT_TIMEOUT : Outcome.Kind.CONNECT_FAILURE;
        log.debug("connect to {} failed: {}", failed.target(), cause.toString());
        fail(kind, kind == Outcome.Kind.CONNECT_TIMEOUT ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY);
    }

    // ---- request body ---------------------------------------------------------------------------

    /** A piece of the request body, asked for with {@link Downstream#read()}; ownership passes to this forwarding. */
    public void onRequestContent(HttpContent content) {
        body.onContent(content);
    }

    void onUpstreamWritable(UpstreamAttempt from) {
        body.onWritable(from);
    }

    /**
     * True while the gateway waits for request body bytes from the client for a target that could
     * take them: a silence then is the client's (its {@code body_timeout}), not the target's.
     */
    boolean waitingForClientBody() {
        return !finished && !responseStarted && body.waitingForClient();
    }

    // ---- response -------------------------------------------------------------------------------

    void onResponseHead(UpstreamAttempt from, HttpResponse response) {
        if (from != attempt || finished) {
            return;
        }
        if (!response.decoderResult().isSuccess()) {
            log.debug("invalid response from {}: {}", from.target(), response.decoderResult().cause().toString());
            fail(Outcome.Kind.INVALID_RESPONSE, HttpResponseStatus.BAD_GATEWAY);
            return;
        }
        int code = response.status().code();
        if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            if (upgrade) {
                switchProtocols(response);
            } else {
                // RFC 9110 §15.2.2: a 101 answers an Upgrade request, and this one asked for none.
                log.debug("{} switched protocols without being asked", from.target());
                fail(Outcome.Kind.INVALID_RESPONSE, HttpResponseStatus.BAD_GATEWAY);
            }
            return;
        }
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            // 100 Continue and other interim responses are the gateway's business with the client, not relayed.
            skippingInformational = true;
            sawInterim |= code != HttpResponseStatus.CONTINUE.code();
            return;
        }
        client.upstreamResponded(from.latencyNanos());
        status = response.status().code();
        boolean targetKeepsAlive = HttpUtil.isKeepAlive(response); // before its Connection header is dropped
        HttpVersion received = response.protocolVersion(); // before it becomes the client hop's
        boolean closeDelimited = ClientResponseFraming.prepare(response, headRequest, clientHttp10);
        upstreamKeepAlive = targetKeepsAlive && !closeDelimited && !upgrade;
        ResponseHeadRules.apply(response, received, route, attempt.selection(), client, clientHost, request.headers());
        responseStarted = true;
        body.releaseReplay();
        if (!(response instanceof FullHttpResponse)) {
            // A response that came whole (HTTP/2 HEADERS that ended the stream) is written whole as
            // its end: a gRPC "trailers-only" answer must stay one HEADERS frame for an HTTP/2 client.
            clientCtx.write(response);
        }
        if (headRequest && sawInterim) {
            // Netty's client codec pairs every interim response but 100 with a request, so after a
            // 103 it no longer knows this answers a HEAD and would wait for a body that never
            // comes. A HEAD response has none (RFC 9110 §9.3.2): it is complete now, and the
            // connection, whose codec is confused, is not reused.
            upstreamKeepAlive = false;
            completed(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    void onResponseContent(UpstreamAttempt from, HttpContent content) {
        if (skippingInformational && from == attempt) {
            if (content instanceof LastHttpContent) {
                skippingInformational = false;
            }
            content.release();
            return;
        }
        if (from != attempt || !responseStarted || finished) {
            content.release();
            return;
        }
        if (!content.decoderResult().isSuccess()) {
            content.release();
            fail(Outcome.Kind.INVALID_RESPONSE, HttpResponseStatus.BAD_GATEWAY);
            return;
        }
        if (content instanceof LastHttpContent) {
            LastHttpContent last = (LastHttpContent) content;
            if (!acceptsTrailers && !last.trailingHeaders().isEmpty()) {
                // only HTTP/2 clients and HTTP/1.1 ones that sent TE: trailers take them (RFC 9110 §6.5.1)
                last.trailingHeaders().clear();
            }
            completed(last);
            return;
        }
        clientCtx.write(content);
        if (!clientCtx.channel().isWritable()) {
            // Pause before flushing: the flush may drain the buffer at once and fire the writability
            // event that resumes the target, which must find it paused (else the wake-up is lost).
            from.channel().config().setAutoRead(false);
            clientCtx.flush();
        }
    }

    void onUpstreamReadComplete(UpstreamAttempt from) {
        if (from == attempt && responseStarted && !finished) {
            clientCtx.flush();
        }
    }

    /** The client connection's writability changed (backpressure for the response). */
    public void onClientWritabilityChanged() {
        if (attempt == null || finished || !attempt.hasConnection() || !clientCtx.channel().isWritable()) {
            return;
        }
        Channel upstream = attempt.channel();
        if (!upstream.config().isAutoRead()) {
            upstream.config().setAutoRead(true);
        }
    }

    /**
     * The target accepted the WebSocket handshake. The attempt is complete for the breaker (it
     * judges the handshake, not how long the conversation lasts), while the target counts the
     * connection as active until the tunnel closes; the 101 goes to the client
     * with the handshake's hop-by-hop headers (and the sticky cookie, if the pool pins), then the
     * connections become a tunnel.
     */
    private void switchProtocols(HttpResponse response) {
        long latency = attempt.latencyNanos();
        client.upstreamResponded(latency);
        Runnable connectionClosed = attempt.selection().holdActive();
        attempt.report(Outcome.response(HttpResponseStatus.SWITCHING_PROTOCOLS.code(), latency));
        Channel ch = attempt.takeForTunnel();
        finish();
        HttpVersion received = response.protocolVersion();
        WebSocketUpgrade.prepareSwitchingResponse(response);
        ResponseHeadRules.apply(response, received, route, attempt.selection(), client, clientHost, request.headers());
        clientCtx.writeAndFlush(response);
        WebSocketMetrics metrics = forwarder.webSockets();
        WebSocketTunnel tunnel = new WebSocketTunnel(clientCtx.channel(), ch, route.webSocketIdleNanos(),
                metrics.route(route.name()), metrics.target(attempt.target().url()), connectionClosed);
        client.switchProtocols(tunnel.clientEnd(), tunnel);
        tunnel.open();
    }

    /**
     * The upstream connection is settled before the last write to the client, whose completion may
     * start the next pipelined request on this loop: that one can then reuse the connection.
     */
    private void completed(LastHttpContent last) {
        attempt.report(Outcome.response(status, attempt.elapsedNanos()));
        attempt.release(body.sent() && upstreamKeepAlive);
        finish();
        clientCtx.writeAndFlush(last);
    }

    // ---- failures -------------------------------------------------------------------------------

    void onUpstreamClosed(UpstreamAttempt from, boolean refused) {
        if (!finished && from == attempt && attempt.hasConnection()) {
            attempt.lost();
            fail(refused ? Outcome.Kind.REFUSED : Outcome.Kind.RESET, HttpResponseStatus.BAD_GATEWAY);
        }
    }

    void timedOut(UpstreamAttempt from) {
        if (!finished && from == attempt) {
            fail(Outcome.Kind.TIMEOUT, HttpResponseStatus.GATEWAY_TIMEOUT);
        }
    }

    /** The current attempt failed: retry when allowed, else answer with {@code status} (or cut the response short). */
    private void fail(Outcome.Kind kind, HttpResponseStatus errorStatus) {
        attempt.report(Outcome.failure(kind, attempt.elapsedNanos()));
        attempt.release(false);
        if (responseStarted) {
            // Bytes of this response are already out: close so the client sees it truncated, never complete.
            finish();
            clientCtx.close();
            return;
        }
        RetryPolicy.Decision decision = retries.decide(kind, attempt.reusedConnection(), body.consumed());
        if (decision != RetryPolicy.Decision.GIVE_UP) {
            forwarder.observer().retrying(route.pool());
        }
        switch (decision) {
            case FRESH_CONNECTION:
                attempt(true);
                return;
            case RETRY_AFTER_BACKOFF:
                loop.schedule(() -> {
                    if (!finished) {
                        attempt(false);
                    }
                }, RetryPolicy.backoffNanos(tried.size()), TimeUnit.NANOSECONDS);
                return;
            default:
                break;
        }
        respondWithError(client.error(errorStatus));
    }

    private void respondWithError(FullHttpResponse response) {
        finish();
        clientCtx.writeAndFlush(response);
    }

    /**
     * The client side ended the exchange (it closed, was too slow, or sent a malformed body): the
     * attempt says nothing about the target, so it is reported as cancelled, and its connection,
     * which may hold half a request, is closed, never pooled.
     */
    public void abort() {
        if (finished) {
            return;
        }
        if (attempt != null) {
            attempt.report(Outcome.failure(Outcome.Kind.CANCELLED, attempt.elapsedNanos()));
            attempt.release(false);
        }
        finish();
    }

    private void finish() {
        finished = true;
        body.close();
        client.detach();
    }
}
