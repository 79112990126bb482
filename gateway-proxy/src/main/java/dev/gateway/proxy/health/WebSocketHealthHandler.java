package dev.gateway.proxy.health;

import dev.gateway.balancer.targets.Target;
import dev.gateway.config.HealthCheckConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * {@code type = "websocket"}: the upgrade handshake of RFC 6455 §4 must answer 101, then a ping
 * (§5.5.2) must be answered by a pong (§5.5.3); a target that upgrades but never reads its socket
 * fails the check.
 */
final class WebSocketHealthHandler extends ChannelInboundHandlerAdapter {

    private static final byte[] PING = "gateway-health".getBytes(StandardCharsets.US_ASCII);

    private final WebSocketClientHandshaker handshaker;
    private final UpstreamHealthProbe.Check check;

    WebSocketHealthHandler(Target target, HealthCheckConfig config, UpstreamHealthProbe.Check check) {
        String scheme = target.config().secure() ? "wss://" : "ws://";
        URI uri = URI.create(scheme + target.config().authority() + config.path());
        this.handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, true,
                new DefaultHttpHeaders(), 64 * 1024);
        this.check = check;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshaker.handshake(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!handshaker.isHandshakeComplete() && msg instanceof FullHttpResponse response) {
                int status = response.status().code();
                if (status != 101) {
                    check.fail("status " + status + " (expected: 101)");
                    return;
                }
                handshaker.finishHandshake(ctx.channel(), response);
                ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(PING)));
            } else if (msg instanceof PongWebSocketFrame) {
                check.pass("pong");
            }
        } catch (RuntimeException e) {
            check.fail("upgrade failed: " + UpstreamHealthProbe.describe(e));
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        check.fail(handshaker.isHandshakeComplete() ? "connection closed before a pong"
                : "connection closed before the upgrade");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        check.fail(UpstreamHealthProbe.describe(cause));
    }
}
