package dev.gateway.proxy.health;

import dev.gateway.balancer.targets.Target;
import dev.gateway.config.HealthCheckConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * {@code type = "http"}: one {@code GET path} with {@code Connection: close} on a fresh connection;
 * the status line decides, the body is not waited for. Over TLS the request waits in the
 * {@code SslHandler} until the handshake is done.
 */
final class HttpHealthHandler extends ChannelInboundHandlerAdapter {

    private final Target target;
    private final HealthCheckConfig config;
    private final UpstreamHealthProbe.Check check;

    HttpHealthHandler(Target target, HealthCheckConfig config, UpstreamHealthProbe.Check check) {
        this.target = target;
        this.config = config;
        this.check = check;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, config.path());
        request.headers()
                .set(HttpHeaderNames.HOST, target.config().authority())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, "gateway-health-check")
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(request);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse response) {
                int status = response.status().code();
                if (config.expectedStatus().contains(status)) {
                    check.pass("status " + status);
                } else {
                    check.fail("status " + status + " (expected: " + config.expectedStatus() + ")");
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        check.fail("connection closed before a response");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        check.fail(UpstreamHealthProbe.describe(cause));
    }
}
