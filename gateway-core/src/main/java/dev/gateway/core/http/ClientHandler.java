package dev.gateway.core.http;

import dev.gateway.config.RouteAction;
import dev.gateway.core.ratelimit.RateLimiter;
import dev.gateway.core.routing.RequestPath;
import dev.gateway.core.routing.Route;
import dev.gateway.core.routing.RouteMatch;
import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.proxy.Forwarding;
import dev.gateway.proxy.websocket.WebSocketTunnel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One per client connection: takes each request head, matches it against the current route table
 * and hands it to its action; then waits until the request has been read and the response written
 * before it takes the next request. Messages are taken one at a time from the {@link ReadGate}
 * in front, so pipelined requests are handled in order and a body is consumed only as fast as its
 * destination takes it.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter {

    /** User event asking a client connection to finish its current exchange and close (graceful shutdown). */
    public static final Object DRAIN = new Object();

    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

    private final ServerRuntime runtime;
    private final ConnectionTimeouts timeouts;
    private final ReadGate gate;
    private ChannelHandlerContext ctx;
    private String clientIp = "-";
    private Exchange exchange;
    private boolean expectContinue;
    private boolean draining;

    ClientHandler(ServerRuntime runtime, ConnectionTimeouts timeouts, ReadGate gate) {
        this.runtime = runtime;
        this.timeouts = timeouts;
        this.gate = gate;
    }

    Exchange current() {
        return exchange;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress) {
            clientIp = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        }
        timeouts.awaitHead();
        read();
        ctx.fireChannelActive();
    }

    /** Asks for the next request message: delivered now if it is waiting, else when it arrives. */
    void read() {
        gate.demand();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            onRequestHead(ctx, (HttpRequest) msg);
        }
        if (msg instanceof HttpContent) {
            onRequestContent(ctx, (HttpContent) msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequestHead(ChannelHandlerContext ctx, HttpRequest request) {
        timeouts.headReceived();
        HttpHeaders headers = request.headers();
        String requestId = RequestIds.acceptOrGenerate(headers.get(RequestIds.HEADER));
        headers.set(RequestIds.HEADER, requestId);
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !draining;
        exchange = new Exchange(requestId, request.method().name(), request.uri(),
                request.protocolVersion().text(), clientIp, headers.get(HttpHeaderNames.USER_AGENT),
                headers.get(HttpHeaderNames.REFERER), System.nanoTime(), keepAlive, this, ctx, runtime.secure());
        expectContinue = false;

        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            rejectAndClose(ctx, RequestFraming.statusForDecodeFailure(result.cause()), result.cause().getMessage());
            return;
        }
        String framing = RequestFraming.problem(request);
        if (framing != null) {
            rejectAndClose(ctx, HttpResponseStatus.BAD_REQUEST, framing);
            return;
        }
        long maxBody = runtime.snapshot().server().maxBodySize();
        if (maxBody > 0 && HttpUtil.getContentLength(request, -1L) > maxBody) {
            rejectAndClose(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "Content-Length over max_body_size");
            return;
        }
        String expect = headers.get(HttpHeaderNames.EXPECT);
        if (expect != null) {
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())
                    || !request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                rejectAndClose(ctx, HttpResponseStatus.EXPECTATION_FAILED, "unsupported Expect: " + expect);
                return;
            }
            headers.remove(HttpHeaderNames.EXPECT);
            expectContinue = true;
        }
        RequestPath path;
        try {
            path = RequestPath.parse(request.uri());
        } catch (IllegalArgumentException e) {
            rejectAndClose(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        dispatch(ctx, request, path);
    }

    private void dispatch(ChannelHandlerContext ctx, HttpRequest request, RequestPath path) {
        RoutingSnapshot snapshot = runtime.snapshot();
        String method = request.method().name();
        RouteMatch match = snapshot.routes().match(request.headers().get(HttpHeaderNames.HOST), path, method);
        if (match.isFound()) {
            Route route = match.route();
            exchange.route = route.name();
            if (rateLimited(ctx, request, route)) {
                return;
            }
            RouteAction action = route.config().action();
            if (action instanceof RouteAction.Static) {
                route.site().serve(ctx, request, path.path(), path.query(), match.remainder(path));
            } else if (action instanceof RouteAction.Redirect) {
                ctx.writeAndFlush(Redirects.response((RouteAction.Redirect) action, route.pattern(), path,
                        match.remainder(path), exchange.requestId));
            } else {
                forward(ctx, request, route, match, path);
            }
        } else if (match.isMethodNotAllowed()) {
            FullHttpResponse response = ErrorResponses.create(HttpResponseStatus.METHOD_NOT_ALLOWED, exchange.requestId);
            response.headers().set(HttpHeaderNames.ALLOW, String.join(", ", match.allowedMethods()));
            ctx.writeAndFlush(response);
        } else if (snapshot.defaultSite() != null) {
            exchange.route = "static";
            snapshot.defaultSite().serve(ctx, request, path.path(), path.query(), path.path());
        } else {
            ctx.writeAndFlush(ErrorResponses.create(HttpResponseStatus.NOT_FOUND, exchange.requestId));
        }
    }

    /** Answers 429 when the route's rate limit is spent; the body is then read and dropped like a 405's. */
    private boolean rateLimited(ChannelHandlerContext ctx, HttpRequest request, Route route) {
        RateLimiter limiter = route.rateLimiter();
        long wait = limiter == null ? 0 : limiter.check(request.headers(), exchange.clientIp, exchange.startNanos);
        if (wait == 0) {
            return false;
        }
        if (expectContinue) {
            exchange.keepAlive = false; // the body held back is never asked for: say the connection closes
        }
        FullHttpResponse response = ErrorResponses.create(HttpResponseStatus.TOO_MANY_REQUESTS, exchange.requestId);
        response.headers().set(HttpHeaderNames.RETRY_AFTER, RateLimiter.retryAfterSeconds(wait));
        ctx.writeAndFlush(response);
        return true;
    }

    private void forward(ChannelHandlerContext ctx, HttpRequest request, Route route, RouteMatch match, RequestPath path) {
        String upstreamUri = route.proxy().upstreamUri(path.path(), path.query(), match.remainder(path),
                match.params(path));
        runtime.forwarder().forward(exchange, request, route.proxy(), upstreamUri, path.path());
    }

    /**
     * Request bodies of requests answered here (static files, redirects, errors) are read and
     * dropped so the connection can be reused, up to {@code max_body_size}.
     */
    private void onRequestContent(ChannelHandlerContext ctx, HttpContent content) {
        Exchange current = exchange;
        try {
            if (current == null || current.requestDone) {
                return;
            }
            if (content.decoderResult().isFailure()) {
                current.keepAlive = false;
                if (!current.responseStarted) {
                    rejectAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "bad chunk: " + content.decoderResult().cause().getMessage());
                } else {
                    ctx.close();
                }
                return;
            }
            current.bytesIn += content.content().readableBytes();
            long maxBody = runtime.snapshot().server().maxBodySize();
            if (maxBody > 0 && current.bytesIn > maxBody) {
                current.keepAlive = false;
                current.requestDone = true;
                Forwarding call = current.call;
                if (call != null) {
                    call.onClientClosed();
                }
                if (current.responseStarted) {
                    finishIfDone(ctx, current);
                } else {
                    rejectAndClose(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body over max_body_size");
                }
                return;
            }
            boolean last = content instanceof LastHttpContent;
            if (last) {
                current.requestDone = true;
            }
            Forwarding call = current.call;
            if (call != null) {
                call.onRequestContent(content.retain());
                return;
            }
            if (last) {
                finishIfDone(ctx, current);
            } else {
                read();
            }
        } finally {
            content.release();
        }
    }

    /** Called by {@link ResponseTracker} when the last byte of the response was written (or failed). */
    void responseWritten(Exchange written, boolean success) {
        written.responseDone = true;
        if (!success) {
            written.keepAlive = false;
            ctx.close();
            return;
        }
        if (!written.requestDone) {
            if (expectContinue || !written.keepAlive) {
                // The client may never send the body it was waiting to be asked for.
                written.keepAlive = false;
            } else {
                read();
                return;
            }
        }
        finishIfDone(ctx, written);
    }

    private void finishIfDone(ChannelHandlerContext ctx, Exchange done) {
        if (!done.responseDone || exchange != done) {
            return;
        }
        if (!done.requestDone && done.keepAlive) {
            return;
        }
        runtime.completed(done);
        exchange = null;
        if (!done.keepAlive || !done.requestDone || draining) {
            ctx.close();
            return;
        }
        timeouts.awaitHead();
        read();
    }

    private void rejectAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        log.debug("{} from {}: {} ({})", status.code(), clientIp, why, exchange.uri);
        exchange.keepAlive = false;
        exchange.requestDone = true; // nothing more is read from this connection
        ctx.writeAndFlush(ErrorResponses.create(status, exchange.requestId));
    }

    /**
     * The target switched this connection to WebSocket (its 101 was just written): the connection
     * stops being HTTP. The read gate (and the request's end it still holds) goes first, then
     * {@code relay} takes this handler's place, so what the HTTP decoder still buffers reaches the
     * relay when the decoder leaves; the timeouts go too (the tunnel has its own idle limit). The
     * connection keeps counting against {@code max_connections}; the exchange is logged, with the
     * bytes relayed, when it closes.
     */
    void switchProtocols(Exchange upgraded, ChannelHandler relay, WebSocketTunnel tunnel) {
        exchange = null;
        ChannelPipeline p = ctx.pipeline();
        p.remove(ClientPipeline.READ_GATE);
        p.replace(this, ClientPipeline.RELAY, relay);
        p.remove(ClientPipeline.HTTP_CODEC);
        if (p.get(ClientPipeline.CHUNKED_WRITER) != null) {
            p.remove(ClientPipeline.CHUNKED_WRITER);
        }
        p.remove(ClientPipeline.RESPONSE_TRACKER);
        p.remove(ClientPipeline.TIMEOUTS);
        ctx.channel().closeFuture().addListener(f -> {
            upgraded.bytesIn += tunnel.bytesFromClient();
            upgraded.bytesOut += tunnel.bytesToClient();
            runtime.completed(upgraded);
        });
    }

    /** Answers {@code 100 Continue} when an action is ready for the body the client holds back. */
    void continueIfExpected(ChannelHandlerContext ctx) {
        if (expectContinue) {
            expectContinue = false;
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DRAIN) {
            draining = true;
            if (exchange == null) {
                ctx.close();
            } else if (!exchange.responseStarted) {
                exchange.keepAlive = false;
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null && current.call != null) {
            current.call.onClientWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange unfinished = exchange;
        if (unfinished != null) {
            exchange = null;
            if (unfinished.call != null) {
                unfinished.call.onClientClosed();
            }
            if (!unfinished.responseDone) {
                // nginx's 499: the client went away before the response was complete.
                unfinished.status = unfinished.responseStarted ? unfinished.status : 499;
            }
            runtime.completed(unfinished);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client connection from {} failed: {}", clientIp, cause.toString());
        ctx.close();
    }
}
