package dev.gateway.core.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.core.protocol.ErrorResponses;
import dev.gateway.core.protocol.RequestIds;
import dev.gateway.core.reload.ReloadOutcome;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code POST /reload} on the admin listener: the same reload as SIGHUP, answered once it is done.
 * 200 {@code {"status":"reloaded",...}} with the settings that need a restart; 422
 * {@code {"status":"invalid","problems":[{"key","line","message"}]}} when the file is unusable (the
 * old configuration keeps serving); 401/403 per {@link AdminToken}; 405 for other methods.
 */
final class ReloadEndpoint {

    private final ServerState server;

    ReloadEndpoint(ServerState server) {
        this.server = server;
    }

    void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!HttpMethod.POST.equals(request.method())) {
            FullHttpResponse response = ErrorResponses.create(HttpResponseStatus.METHOD_NOT_ALLOWED, RequestIds.generate());
            response.headers().set(HttpHeaderNames.ALLOW, "POST");
            ctx.writeAndFlush(response);
            return;
        }
        boolean loopback = server.adminAddress().getAddress().isLoopbackAddress();
        HttpResponseStatus refused = AdminToken.check(request.headers(), server.config().admin().token(), loopback);
        if (refused != null) {
            FullHttpResponse response = ErrorResponses.create(refused, RequestIds.generate());
            if (refused == HttpResponseStatus.UNAUTHORIZED) {
                response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"gateway admin\"");
            }
            ctx.writeAndFlush(response);
            return;
        }
        // One answer at a time on this connection: read the next request only after this one is answered.
        ctx.channel().config().setAutoRead(false);
        server.reload("POST /reload from " + ctx.channel().remoteAddress()).whenComplete((outcome, error) -> {
            FullHttpResponse response = error != null
                    ? ErrorResponses.create(HttpResponseStatus.SERVICE_UNAVAILABLE, RequestIds.generate())
                    : AdminInitializer.json(outcome.applied() ? HttpResponseStatus.OK
                            : HttpResponseStatus.UNPROCESSABLE_ENTITY, body(outcome).toPrettyString());
            ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> f.channel().config().setAutoRead(true));
        });
    }

    private static ObjectNode body(ReloadOutcome outcome) {
        ObjectNode body = StatusReport.JSON.createObjectNode();
        body.put("status", outcome.applied() ? "reloaded" : "invalid");
        body.put("at", outcome.at().toString());
        body.put("sha256", outcome.sha256());
        if (outcome.applied()) {
            body.put("routes", outcome.routes());
            body.put("upstreams", outcome.upstreams());
            ArrayNode restart = body.putArray("needs_restart");
            outcome.needsRestart().forEach(restart::add);
        } else {
            body.set("problems", StatusReport.problems(outcome));
        }
        return body;
    }
}
