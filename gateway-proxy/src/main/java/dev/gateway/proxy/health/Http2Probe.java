package dev.gateway.proxy.health;

import dev.gateway.balancer.targets.Target;
import dev.gateway.config.HealthCheckConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * A check over HTTP/2 (a grpc check, or an http check of an HTTP/2 pool): the probe connection gets
 * the client frame codec, and once it is up one stream runs the check's handler, as a request of
 * the pool would. Over TLS, ALPN asked for {@code h2}; a target that does not speak it fails the
 * check when it drops the preface.
 */
final class Http2Probe {

    private Http2Probe() {
    }

    static Consumer<ChannelPipeline> pipeline(Target target, HealthCheckConfig config, UpstreamHealthProbe.Check check) {
        return p -> p.addLast(UpstreamHealthProbe.H2_CODEC, Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)).build())
                .addLast(UpstreamHealthProbe.H2_MULTIPLEX, new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
                .addLast(UpstreamHealthProbe.H2_STREAM, new StreamOpener(check, () -> checkHandler(target, config, check)));
    }

    private static ChannelHandler checkHandler(Target target, HealthCheckConfig config, UpstreamHealthProbe.Check check) {
        return config.type() == HealthCheckConfig.Type.GRPC
                ? new GrpcHealthHandler(target, config, check)
                : new HttpHealthHandler(target, config, check);
    }

    /** Opens the check's stream once the connection is up; drops what the multiplexer passes on. */
    private static final class StreamOpener extends ChannelInboundHandlerAdapter {
        private final UpstreamHealthProbe.Check check;
        private final java.util.function.Supplier<ChannelHandler> handler;

        StreamOpener(UpstreamHealthProbe.Check check, java.util.function.Supplier<ChannelHandler> handler) {
            this.check = check;
            this.handler = handler;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            new Http2StreamChannelBootstrap(ctx.channel()).handler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel stream) {
                    stream.pipeline().addLast(UpstreamHealthProbe.HTTP_CODEC, new Http2StreamFrameToHttpObjectCodec(false))
                            .addLast(UpstreamHealthProbe.CHECK, handler.get());
                }
            }).open().addListener(f -> {
                if (!f.isSuccess()) {
                    check.fail("cannot open an HTTP/2 stream: " + UpstreamHealthProbe.describe(f.cause()));
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // GOAWAY, SETTINGS and the like, passed on by the multiplexer
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            check.fail("connection closed before an answer");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            check.fail(UpstreamHealthProbe.describe(cause));
        }
    }
}
