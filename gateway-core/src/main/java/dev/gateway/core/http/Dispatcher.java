package dev.gateway.core.http;

import dev.gateway.config.RouteAction;
import dev.gateway.core.compression.ResponseCompressor;
import dev.gateway.core.middleware.RouteMiddleware;
import dev.gateway.core.protocol.TraceRequests;
import dev.gateway.core.ratelimit.RateLimiter;
import dev.gateway.core.routing.RequestPath;
import dev.gateway.core.routing.Route;
import dev.gateway.core.routing.RouteMatch;
import dev.gateway.core.routing.RoutingSnapshot;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What answers an accepted request head: the route lookup on the current snapshot, then, for a
 * route without middleware, its rate limit and its action (static files, redirect or proxy); a
 * route with middleware goes through {@link MiddlewareChain} (access control, rate limit,
 * authentication, CORS, action). Unmatched requests get the default site, a 405 or a 404, behind
 * {@code [access]}. Holds no state of its own; one per server.
 */
final class Dispatcher {

    private final ServerRuntime runtime;
    private final MiddlewareChain middleware;

    Dispatcher(ServerRuntime runtime) {
        this.runtime = runtime;
        this.middleware = new MiddlewareChain(runtime, this);
    }

    void dispatch(ChannelHandlerContext ctx, Exchange exchange, HttpRequest request, RequestPath path) {
        RoutingSnapshot snapshot = runtime.snapshot();
        String method = request.method().name();
        RouteMatch match = snapshot.routes().match(request.headers().get(HttpHeaderNames.HOST), path, method);
        if (match.isFound()) {
            Route route = match.route();
            exchange.route = route.name();
            if (TraceRequests.refused(request.method(), route)) {
                methodNotAllowed(ctx, exchange, TraceRequests.ALLOW);
                return;
            }
            if (route.middleware() != null) {
                middleware.run(ctx, exchange, request, path, match);
                return;
            }
            if (rateLimited(ctx, exchange, request, route)) {
                return;
            }
            act(ctx, exchange, request, path, match, null);
            return;
        }
        RouteMiddleware fallback = snapshot.fallbackMiddleware();
        if (fallback != null && !middleware.admitted(ctx, exchange, request, fallback)) {
            return;
        }
        if (match.isMethodNotAllowed()) {
            methodNotAllowed(ctx, exchange, String.join(", ", match.allowedMethods()));
        } else if (snapshot.defaultSite() != null) {
            exchange.route = "static";
            ResponseCompressor compressor = fallback == null ? null : middleware.compress(ctx, exchange, request,
                    fallback, true);
            snapshot.defaultSite().serve(ctx, request, path.path(), path.query(), path.path(), compressor);
        } else {
            ctx.writeAndFlush(exchange.error(HttpResponseStatus.NOT_FOUND));
        }
    }

    /** The route's action; {@code compressor} (or null) is already in the pipeline. */
    void act(ChannelHandlerContext ctx, Exchange exchange, HttpRequest request, RequestPath path, RouteMatch match,
             ResponseCompressor compressor) {
        Route route = match.route();
        RouteAction action = route.config().action();
        if (action instanceof RouteAction.Static) {
            route.site().serve(ctx, request, path.path(), path.query(), match.remainder(path), compressor);
        } else if (action instanceof RouteAction.Redirect) {
            ctx.writeAndFlush(Redirects.response((RouteAction.Redirect) action, route.pattern(), path,
                    match.remainder(path), exchange.requestId));
        } else {
            String upstreamUri = route.proxy().upstreamUri(path.path(), path.query(), match.remainder(path),
                    match.params(path));
            runtime.forwarder().forward(exchange, request, route.proxy(), upstreamUri, path.path());
        }
    }

    private static void methodNotAllowed(ChannelHandlerContext ctx, Exchange exchange, String allow) {
        FullHttpResponse response = exchange.error(HttpResponseStatus.METHOD_NOT_ALLOWED);
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        ctx.writeAndFlush(response);
    }

    /** Answers 429 when the route's rate limit is spent; the body is then read and dropped like a 405's. */
    static boolean rateLimited(ChannelHandlerContext ctx, Exchange exchange, HttpRequest request, Route route) {
        RateLimiter limiter = route.rateLimiter();
        long wait = limiter == null ? 0 : limiter.check(request.headers(), exchange.clientIp, exchange.startNanos);
        if (wait == 0) {
            return false;
        }
        FullHttpResponse response = exchange.error(HttpResponseStatus.TOO_MANY_REQUESTS);
        response.headers().set(HttpHeaderNames.RETRY_AFTER, RateLimiter.retryAfterSeconds(wait));
        refuse(ctx, exchange, response);
        return true;
    }

    /**
     * Answers a request the gateway turns away before its action (429, 403, 401, ...). A body the
     * client holds back for {@code 100 Continue} is never asked for, so the connection then closes.
     */
    static void refuse(ChannelHandlerContext ctx, Exchange exchange, FullHttpResponse response) {
        if (exchange.expectContinue) {
            exchange.keepAlive = false;
        }
        ctx.writeAndFlush(response);
    }
}
