package dev.gateway.core;

import dev.gateway.proxy.ClientChannel;
import dev.gateway.proxy.ProxyCall;
import dev.gateway.proxy.WebSocketTunnel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The client side of one proxied exchange, as the proxy sees it. One per exchange, so a call that
 * finishes late can only ever detach itself, never the next request on the same connection.
 */
final class ProxiedRequest implements ClientChannel {

    private final GatewayHandler handler;
    private final ChannelHandlerContext ctx;
    private final Exchange exchange;
    private final boolean secure;

    ProxiedRequest(GatewayHandler handler, ChannelHandlerContext ctx, Exchange exchange, boolean secure) {
        this.handler = handler;
        this.ctx = ctx;
        this.exchange = exchange;
        this.secure = secure;
    }

    @Override
    public ChannelHandlerContext context() {
        return ctx;
    }

    @Override
    public String clientIp() {
        return exchange.clientIp;
    }

    @Override
    public boolean secure() {
        return secure;
    }

    @Override
    public void read() {
        if (exchange.call != null && !exchange.requestDone) {
            handler.read();
        }
    }

    @Override
    public void sendContinue() {
        if (handler.current() == exchange) {
            handler.continueIfExpected(ctx);
        }
    }

    @Override
    public void upstreamChosen(String targetUrl) {
        exchange.target = targetUrl;
    }

    @Override
    public void upstreamResponded(long nanos) {
        exchange.upstreamNanos = nanos;
    }

    @Override
    public FullHttpResponse error(HttpResponseStatus status) {
        return ErrorResponses.create(status, exchange.requestId);
    }

    @Override
    public void attach(ProxyCall call) {
        exchange.call = call;
    }

    @Override
    public void detach() {
        exchange.call = null;
    }

    @Override
    public void switchProtocols(ChannelHandler relay, WebSocketTunnel tunnel) {
        handler.switchProtocols(exchange, relay, tunnel);
    }
}
