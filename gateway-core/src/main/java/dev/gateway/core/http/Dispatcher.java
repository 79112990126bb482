package dev.gateway.core.http;

import dev.gateway.config.RouteAction;
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
 * What answers an accepted request head: the route lookup on the current snapshot, the route's
 * rate limit, then its action (static files, redirect or proxy), or the default site, a 405 or a
 * 404. Holds no state of its own; one per server.
 */
final class Dispatcher {

    private final ServerRuntime runtime;

    Dispatcher(ServerRuntime runtime) {
        this.runtime = runtime;
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
            if (rateLimited(ctx, exchange, request, route)) {
                return;
            }
            RouteAction action = route.config().action();
            if (action instanceof RouteAction.Static) {
                route.site().serve(ctx, request, path.path(), path.query(), match.remainder(path));
            } else if (action instanceof RouteAction.Redirect) {
                ctx.writeAndFlush(Redirects.response((RouteAction.Redirect) action, route.pattern(), path,
                        match.remainder(path), exchange.requestId));
            } else {
                String upstreamUri = route.proxy().upstreamUri(path.path(), path.query(), match.remainder(path),
                        match.params(path));
                runtime.forwarder().forward(exchange, request, route.proxy(), upstreamUri, path.path());
            }
        } else if (match.isMethodNotAllowed()) {
            methodNotAllowed(ctx, exchange, String.join(", ", match.allowedMethods()));
        } else if (snapshot.defaultSite() != null) {
            exchange.route = "static";
            snapshot.defaultSite().serve(ctx, request, path.path(), path.query(), path.path());
        } else {
            ctx.writeAndFlush(ErrorResponses.create(HttpResponseStatus.NOT_FOUND, exchange.requestId, exchange.trace));
        }
    }

    private static void methodNotAllowed(ChannelHandlerContext ctx, Exchange exchange, String allow) {
        FullHttpResponse response = ErrorResponses.create(HttpResponseStatus.METHOD_NOT_ALLOWED, exchange.requestId,
                exchange.trace);
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        ctx.writeAndFlush(response);
    }

    /** Answers 429 when the route's rate limit is spent; the body is then read and dropped like a 405's. */
    private static boolean rateLimited(ChannelHandlerContext ctx, Exchange exchange, HttpRequest request, Route route) {
        RateLimiter limiter = route.rateLimiter();
        long wait = limiter == null ? 0 : limiter.check(request.headers(), exchange.clientIp, exchange.startNanos);
        if (wait == 0) {
            return false;
        }
        if (exchange.expectContinue) {
            exchange.keepAlive = false; // the body held back is never asked for: say the connection closes
        }
        FullHttpResponse response = ErrorResponses.create(HttpResponseStatus.TOO_MANY_REQUESTS, exchange.requestId,
                exchange.trace);
        response.headers().set(HttpHeaderNames.RETRY_AFTER, RateLimiter.retryAfterSeconds(wait));
        ctx.writeAndFlush(response);
        return true;
    }
}
