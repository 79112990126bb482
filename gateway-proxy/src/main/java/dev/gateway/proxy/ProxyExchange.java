package dev.gateway.proxy;

import dev.gateway.balancer.Outcome;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.RequestKey;
import dev.gateway.balancer.Selection;
import dev.gateway.balancer.Target;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request forwarded to a pool, from picking a target to the last byte of the response.
 * Everything runs on the client connection's event loop, which is also the loop of the upstream
 * connection, so the state below needs no synchronization.
 *
 * <p>Flow: select a target, take a pooled connection or open one, write the head, then stream the
 * body (reading the next client chunk only while the upstream is writable), then stream the
 * response back (pausing the upstream while the client is not writable). A connection goes back
 * to the pool only when the request was fully sent and the response was complete and valid.
 *
 * <p>A failed attempt is retried as {@link RetryPolicy} decides, never once response bytes went out.
 *
 * <p>A WebSocket handshake goes the same way on a fresh connection that is never pooled; a {@code 101}
 * answer turns both connections into a {@link WebSocketTunnel}.
 */
final class ProxyExchange implements ProxyCall {

    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);

    private final Forwarder forwarder;
    private final ClientChannel client;
    private final ChannelHandlerContext clientCtx;
    private final EventLoop loop;
    private final HttpRequest request;
    private final ProxyRoute route;
    private final RequestKey key;
    private final RetryPolicy retries;
    private final boolean hasBody;
    private final boolean clientHttp10;
    private final boolean upgrade;
    private final boolean headRequest;
    private final boolean rewriteHost;
    private final List<Target> tried = new ArrayList<>(2);

    private Selection selection;
    /** the last selection whose outcome was reported, so a late cancel is never counted twice */
    private Selection reported;
    private UpstreamConnections connections;
    private Channel upstream;
    private UpstreamHandler upstreamHandler;
    private boolean reusedConnection;
    private long attemptStart;
    private long lastUpstreamActivity;

    private boolean bodyReadRequested;
    private boolean bodyConsumed;
    private boolean requestSent;
    private boolean skippingInformational;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private int status;
    private boolean finished;

    /** @param upgrade true for a WebSocket handshake on a websocket route */
    ProxyExchange(Forwarder forwarder, ClientChannel client, HttpRequest request, boolean clientHttp10,
                  boolean upgrade, ProxyRoute route, RequestKey key) {
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
        this.clientHttp10 = clientHttp10;
        this.upgrade = upgrade;
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
        selection = pool.select(key, tried);
        if (selection == null) {
            FullHttpResponse response = client.error(HttpResponseStatus.SERVICE_UNAVAILABLE);
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            respondWithError(response);
            return;
        }
        Target target = selection.target();
        tried.add(target);
        client.upstreamChosen(target.url());
        connections = forwarder.connections(loop, target, pool);
        attemptStart = System.nanoTime();
        UpstreamHandler pooled = forceFresh || upgrade ? null : connections.pollIdle();
        if (pooled != null) {
            reusedConnection = true;
            onConnected(pooled);
            return;
        }
        reusedConnection = false;
        ChannelFuture connect = connections.connect();
        connect.addListener(f -> {
            if (f.isSuccess()) {
                onConnected(UpstreamConnections.handlerOf(connect.channel()));
            } else {
                onConnectFailed(f.cause());
            }
        });
    }

    private void onConnected(UpstreamHandler handler) {
        if (finished) {
            connections.release(handler);
            return;
        }
        Channel ch = handler.channel();
        upstream = ch;
        upstreamHandler = handler;
        handler.attach(this);
        if (rewriteHost) {
            request.headers().set(HttpHeaderNames.HOST, selection.target().config().authority());
        }
        requestSent = !hasBody;
        ch.write(request);
        if (hasBody) {
            ch.flush();
            client.sendContinue();
            requestBody();
        } else {
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        lastUpstreamActivity = System.nanoTime();
        armTimer();
    }

    private void onConnectFailed(Throwable cause) {
        if (finished) {
            return;
        }
        Outcome.Kind kind = cause instanceof ConnectTimeoutException ? Outcome.Kind.CONNECT_TIMEOUT : Outcome.Kind.CONNECT_FAILURE;
        log.debug("connect to {} failed: {}", selection.target(), cause.toString());
        fail(kind, kind == Outcome.Kind.CONNECT_TIMEOUT ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY);
    }

    // ---- request body ---------------------------------------------------------------------------

    private void requestBody() {
        if (!bodyReadRequested && !requestSent && !finished) {
            bodyReadRequested = true;
            client.read();
        }
    }

    @Override
    public void onRequestContent(HttpContent content) {
        bodyReadRequested = false;
        if (finished || upstream == null || requestSent) {
            content.release();
            return;
        }
        bodyConsumed = true;
        lastUpstreamActivity = System.nanoTime();
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestSent = true;
            upstream.writeAndFlush(content);
            return;
        }
        upstream.writeAndFlush(content);
        if (upstream.isWritable()) {
            requestBody();
        }
    }

    void onUpstreamWritabilityChanged() {
        if (upstream != null && upstream.isWritable()) {
            requestBody();
        }
    }

    // ---- response -------------------------------------------------------------------------------

    void onResponseHead(HttpResponse response) {
        lastUpstreamActivity = System.nanoTime();
        if (!response.decoderResult().isSuccess()) {
            log.debug("invalid response from {}: {}", selection.target(), response.decoderResult().cause().toString());
            fail(Outcome.Kind.INVALID_RESPONSE, HttpResponseStatus.BAD_GATEWAY);
            return;
        }
        if (upgrade && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            switchProtocols(response);
            return;
        }
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            // 100 Continue and other interim responses are the gateway's business with the client, not relayed.
            skippingInformational = true;
            return;
        }
        client.upstreamResponded(lastUpstreamActivity - attemptStart);
        status = response.status().code();
        boolean targetKeepsAlive = HttpUtil.isKeepAlive(response); // before its Connection header is dropped
        boolean closeDelimited = ClientResponseFraming.prepare(response, headRequest, clientHttp10);
        upstreamKeepAlive = targetKeepsAlive && !closeDelimited && !upgrade;
        addResponseHeaders(response);
        responseStarted = true;
        clientCtx.write(response);
    }

    /** The route's {@code response_headers}, then the sticky cookie (so a rule cannot drop the pin). */
    private void addResponseHeaders(HttpResponse response) {
        ProxyRoute.applyRules(route.config().responseHeaders(), response.headers());
        if (selection.setCookie() != null) {
            response.headers().add(HttpHeaderNames.SET_COOKIE, selection.setCookie());
        }
    }

    void onResponseContent(HttpContent content) {
        lastUpstreamActivity = System.nanoTime();
        if (skippingInformational) {
            if (content instanceof LastHttpContent) {
                skippingInformational = false;
            }
            content.release();
            return;
        }
        if (!responseStarted || finished) {
            content.release();
            return;
        }
        if (!content.decoderResult().isSuccess()) {
            content.release();
            fail(Outcome.Kind.INVALID_RESPONSE, HttpResponseStatus.BAD_GATEWAY);
            return;
        }
        if (content instanceof LastHttpContent) {
            completed((LastHttpContent) content);
            return;
        }
        clientCtx.write(content);
        if (!clientCtx.channel().isWritable()) {
            // Pause before flushing: the flush may drain the buffer at once and fire the writability
            // event that resumes the target, which must find it paused (else the wake-up is lost).
            upstream.config().setAutoRead(false);
            clientCtx.flush();
        }
    }

    void onUpstreamReadComplete() {
        if (responseStarted && !finished) {
            clientCtx.flush();
        }
    }

    @Override
    public void onClientWritabilityChanged() {
        if (upstream != null && !finished && clientCtx.channel().isWritable() && !upstream.config().isAutoRead()) {
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
        long latency = lastUpstreamActivity - attemptStart;
        client.upstreamResponded(latency);
        Runnable connectionClosed = selection.holdActive();
        complete(Outcome.response(HttpResponseStatus.SWITCHING_PROTOCOLS.code(), latency));
        cancelTimer();
        Channel ch = upstream;
        upstreamHandler.detach();
        upstream = null;
        upstreamHandler = null;
        finish();
        WebSocketUpgrade.prepareSwitchingResponse(response);
        addResponseHeaders(response);
        clientCtx.writeAndFlush(response);
        WebSocketMetrics metrics = forwarder.webSockets();
        new WebSocketTunnel(clientCtx.channel(), ch, route.webSocketIdleNanos(),
                metrics.route(route.name()), metrics.target(selection.target().url()), connectionClosed).open(client);
    }

    /**
     * The upstream connection is settled before the last write to the client, whose completion may
     * start the next pipelined request on this loop: that one can then reuse the connection.
     */
    private void completed(LastHttpContent last) {
        long latency = System.nanoTime() - attemptStart;
        complete(Outcome.response(status, latency));
        cancelTimer(); // the connection's deadline belongs to its next call once it is back in the pool
        Channel ch = upstream;
        UpstreamHandler handler = upstreamHandler;
        upstream = null;
        upstreamHandler = null;
        if (requestSent && upstreamKeepAlive) {
            connections.release(handler);
        } else {
            handler.detach();
            ch.close();
        }
        finish();
        clientCtx.writeAndFlush(last);
    }

    // ---- failures -------------------------------------------------------------------------------

    void onUpstreamClosed() {
        if (!finished && upstream != null) {
            upstream = null;
            fail(Outcome.Kind.RESET, HttpResponseStatus.BAD_GATEWAY);
        }
    }

    void onUpstreamError(Throwable cause) {
        log.debug("upstream {} failed: {}", selection == null ? "-" : selection.target(), cause.toString());
    }

    void onTimeout() {
        if (finished) {
            return;
        }
        if (upstream != null && !upstream.config().isAutoRead()) {
            armTimer(); // paused by us for a slow client: the target is not the one being silent
            return;
        }
        long idle = System.nanoTime() - lastUpstreamActivity;
        if (idle < route.timeoutNanos()) {
            armTimer(route.timeoutNanos() - idle);
            return;
        }
        log.debug("{} did not answer within {} ms", selection.target(), route.timeoutNanos() / 1_000_000);
        fail(Outcome.Kind.TIMEOUT, HttpResponseStatus.GATEWAY_TIMEOUT);
    }

    /** One attempt failed: retry when allowed, else answer with {@code status} (or cut the response short). */
    private void fail(Outcome.Kind kind, HttpResponseStatus errorStatus) {
        cancelTimer();
        complete(Outcome.failure(kind, System.nanoTime() - attemptStart));
        closeUpstream();
        if (responseStarted) {
            // Bytes of this response are already out: close so the client sees it truncated, never complete.
            finish();
            clientCtx.close();
            return;
        }
        RetryPolicy.Decision decision = retries.decide(kind, reusedConnection, bodyConsumed);
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

    /** Tells the balancer (breaker, strategy) and the observer (metrics) how the current attempt ended. */
    private void complete(Outcome outcome) {
        if (reported == selection) {
            return;
        }
        reported = selection;
        selection.complete(outcome);
        forwarder.observer().attemptCompleted(route.pool(), selection.target(), outcome);
    }

    private void respondWithError(FullHttpResponse response) {
        finish();
        clientCtx.writeAndFlush(response);
    }

    @Override
    public void onClientClosed() {
        if (finished) {
            return;
        }
        if (selection != null) {
            complete(Outcome.failure(Outcome.Kind.CANCELLED, System.nanoTime() - attemptStart));
        }
        closeUpstream();
        finish();
    }

    /** Closes the attempt's connection, if any, without reporting its close back to this exchange. */
    private void closeUpstream() {
        Channel ch = upstream;
        upstream = null;
        if (ch != null) {
            upstreamHandler.detach();
            ch.close();
        }
    }

    private void finish() {
        finished = true;
        cancelTimer();
        client.detach();
    }

    // ---- timer ----------------------------------------------------------------------------------

    /** The route timeout bounds the wait for the first response byte and every later silence of the target. */
    private void armTimer() {
        armTimer(route.timeoutNanos());
    }

    private void armTimer(long nanos) {
        upstreamHandler.deadline().arm(nanos);
    }

    private void cancelTimer() {
        if (upstreamHandler != null) {
            upstreamHandler.deadline().disarm();
        }
    }
}
