package dev.gateway.core.http;

import dev.gateway.core.auth.Authenticator;
import dev.gateway.core.compression.ResponseCompressor;
import dev.gateway.core.middleware.Cors;
import dev.gateway.core.middleware.RouteMiddleware;
import dev.gateway.core.routing.RequestPath;
import dev.gateway.core.routing.RouteMatch;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A route's middleware around its action, in the documented order:
 * <pre>
 *   access control (403) -> rate limit (429) -> authentication (401 / 503 / the auth service's answer)
 *     -> CORS (a preflight is answered here) -> action; compression on the way out
 * </pre>
 * Two refinements of that order: a CORS preflight skips authentication (browsers never send
 * credentials on one, Fetch standard §4.8, and its answer is the gateway's, never the target's), and
 * the CORS response headers go on every response of the route, the gateway's own 401/403/429
 * included, so that a page can read why it was turned away. Authentication may answer later (bcrypt
 * off the event loops, a forward_auth subrequest): the chain then goes on only if the exchange is
 * still waiting for it (the client may have left or timed out meanwhile).
 */
final class MiddlewareChain {

    private final ServerRuntime runtime;
    private final Dispatcher dispatcher;

    MiddlewareChain(ServerRuntime runtime, Dispatcher dispatcher) {
        this.runtime = runtime;
        this.dispatcher = dispatcher;
    }

    void run(ChannelHandlerContext ctx, Exchange exchange, HttpRequest request, RequestPath path, RouteMatch match) {
        RouteMiddleware middleware = match.route().middleware();
        if (!admitted(ctx, exchange, request, middleware)) {
            return;
        }
        if (Dispatcher.rateLimited(ctx, exchange, request, match.route())) {
            return;
        }
        Cors cors = middleware.cors();
        if (cors != null && Cors.isPreflight(request)) {
            preflight(ctx, exchange, request, cors);
            return;
        }
        Authenticator authenticator = middleware.authenticator();
        if (authenticator == null) {
            act(ctx, exchange, request, path, match, middleware);
            return;
        }
        authenticator.authenticate(request, exchange, runtime.forwarder(), new Authenticator.Verdict() {
            @Override
            public void admit() {
                if (exchange.awaitingAction()) {
                    act(ctx, exchange, request, path, match, middleware);
                }
            }

            @Override
            public void refuse(FullHttpResponse response) {
                if (exchange.awaitingAction()) {
                    Dispatcher.refuse(ctx, exchange, response);
                } else {
                    response.release();
                }
            }
        });
    }

    /** Sets up the CORS response headers, then checks access; false (a 403 written) when refused. */
    boolean admitted(ChannelHandlerContext ctx, Exchange exchange, HttpRequest request, RouteMiddleware middleware) {
        if (middleware.cors() != null) {
            exchange.cors = middleware.cors();
            exchange.origin = request.headers().get(HttpHeaderNames.ORIGIN);
        }
        if (middleware.access() != null && !middleware.access().admits(exchange.clientIp, request.headers())) {
            Dispatcher.refuse(ctx, exchange, exchange.error(HttpResponseStatus.FORBIDDEN));
            return false;
        }
        return true;
    }

    private void act(ChannelHandlerContext ctx, Exchange exchange, HttpRequest request, RequestPath path,
                     RouteMatch match, RouteMiddleware middleware) {
        ResponseCompressor compressor = middleware.compression() == null ? null
                : compress(ctx, exchange, request, middleware, match.route().site() != null);
        dispatcher.act(ctx, exchange, request, path, match, compressor);
    }

    /** Puts a compressor for this exchange in the pipeline; null when the request cannot vary. */
    ResponseCompressor compress(ChannelHandlerContext ctx, Exchange exchange, HttpRequest request,
                                RouteMiddleware middleware, boolean files) {
        ResponseCompressor compressor = middleware.compression().forRequest(request);
        if (compressor != null) {
            ClientPipeline.addCompressor(ctx.pipeline(), compressor, files);
            exchange.compressor = compressor;
        }
        return compressor;
    }

    /** A granted preflight gets 204 with the policy; any other a 403 (with {@code Vary}, nothing granted). */
    private static void preflight(ChannelHandlerContext ctx, Exchange exchange, HttpRequest request, Cors cors) {
        exchange.cors = null; // the preflight's headers are its own
        if (!cors.grants(request.headers())) {
            FullHttpResponse refused = exchange.error(HttpResponseStatus.FORBIDDEN);
            refused.headers().add(HttpHeaderNames.VARY, "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
            Dispatcher.refuse(ctx, exchange, refused);
            return;
        }
        FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                Unpooled.EMPTY_BUFFER);
        cors.preflightHeaders(request.headers(), ok.headers());
        Dispatcher.refuse(ctx, exchange, ok);
    }
}
