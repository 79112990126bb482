package dev.gateway.core;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/** Where proxy routes go: forwards the request (head already read, body still to be read) to the route's pool. */
interface ProxyDispatch {

    void forward(ChannelHandlerContext ctx, HttpRequest request, Route route, RouteMatch match, Exchange exchange);
}
