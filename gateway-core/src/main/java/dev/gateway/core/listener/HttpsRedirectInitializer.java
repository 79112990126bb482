package dev.gateway.core.listener;

import dev.gateway.config.ServerConfig;
import dev.gateway.core.http.ServerRuntime;
import dev.gateway.core.protocol.ErrorResponses;
import dev.gateway.core.protocol.RequestIds;
import dev.gateway.core.routing.RouteTable;
import dev.gateway.core.tls.AcmeChallenges;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/**
 * The plain-HTTP listener of {@code redirect_from}: every request gets a 308 to the same URL over
 * https. It is public traffic, so its connections count against {@code max_connections} and are
 * held to the main listener's {@code header_timeout}, {@code idle_timeout} and head size limits
 * (see {@link WholeRequestGuard}); a body is read up to 8 KiB and dropped.
 */
public final class HttpsRedirectInitializer extends ChannelInitializer<SocketChannel> {

    /** Handler names of a redirect connection's pipeline, in order: the one place they are spelled. */
    static final String TIMEOUTS = "timeouts";
    static final String HTTP_CODEC = "httpCodec";
    static final String KEEP_ALIVE = "keepAlive";
    static final String AGGREGATOR = "aggregator";
    static final String GUARD = "guard";
    static final String REDIRECTOR = "redirector";

    /** The most request body bytes read (and dropped); a larger one is answered 413. */
    static final int MAX_CONTENT_LENGTH = 8 * 1024;

    private final ServerRuntime runtime;
    private final ConnectionLimiter limiter;
    private final Redirector redirector;

    /**
     * @param limiter the main listener's: redirect connections count against {@code max_connections}
     * @param challenges ACME http-01 responses to answer under {@code /.well-known/acme-challenge/}
     */
    public HttpsRedirectInitializer(int httpsPort, ServerRuntime runtime, ConnectionLimiter limiter,
            AcmeChallenges challenges) {
        this.runtime = runtime;
        this.limiter = limiter;
        this.redirector = new Redirector(httpsPort, challenges);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ServerConfig server = runtime.snapshot().server();
        WholeRequestGuard guard = WholeRequestGuard.admit(ch, limiter, server);
        if (guard == null) {
            return;
        }
        ch.pipeline()
                .addLast(TIMEOUTS, guard.timeouts())
                .addLast(HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(server.maxInitialLine())
                        .setMaxHeaderSize(server.maxHeaderSize())))
                .addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler())
                .addLast(AGGREGATOR, new HttpObjectAggregator(MAX_CONTENT_LENGTH))
                .addLast(GUARD, guard)
                .addLast(REDIRECTOR, redirector);
    }

    @ChannelHandler.Sharable
    private static final class Redirector extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final int httpsPort;
        private final AcmeChallenges challenges;

        Redirector(int httpsPort, AcmeChallenges challenges) {
            this.httpsPort = httpsPort;
            this.challenges = challenges;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (request.uri().startsWith(AcmeChallenges.HTTP_01_PATH)) {
                // RFC 8555 §8.3: the key authorization, as is, over plain HTTP; never a redirect
                String path = request.uri().split("\\?", 2)[0];
                String keyAuthorization = challenges == null ? null : challenges.http01(path);
                FullHttpResponse response = keyAuthorization == null
                        ? ErrorResponses.create(HttpResponseStatus.NOT_FOUND, RequestIds.generate())
                        : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                Unpooled.copiedBuffer(keyAuthorization, StandardCharsets.US_ASCII));
                if (keyAuthorization != null) {
                    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                            .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                }
                ctx.writeAndFlush(response);
                return;
            }
            String host = RouteTable.normalizeHost(request.headers().get(HttpHeaderNames.HOST));
            if (host == null) {
                ctx.writeAndFlush(ErrorResponses.create(HttpResponseStatus.BAD_REQUEST, RequestIds.generate()))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String target = request.uri().startsWith("/") ? request.uri() : "/";
            String location = "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + target;
            FullHttpResponse response = ErrorResponses.create(HttpResponseStatus.PERMANENT_REDIRECT, RequestIds.generate());
            response.headers().set(HttpHeaderNames.LOCATION, location);
            ctx.writeAndFlush(response);
        }
    }

}
