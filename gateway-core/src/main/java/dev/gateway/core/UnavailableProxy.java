package dev.gateway.core;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Proxy routes before the proxy module is wired in: 502, so the gap is visible rather than silent. */
final class UnavailableProxy implements ProxyDispatch {

    @Override
    public void forward(ChannelHandlerContext ctx, HttpRequest request, Route route, RouteMatch match, Exchange exchange) {
        ctx.writeAndFlush(ErrorResponses.create(HttpResponseStatus.BAD_GATEWAY, exchange.requestId));
    }
}
