package dev.gateway.core.http;

import dev.gateway.core.routing.RouteTable;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/** The plain-HTTP listener of {@code redirect_from}: every request gets a 308 to the same URL over https. */
public final class HttpsRedirectInitializer extends ChannelInitializer<SocketChannel> {

    /** Handler names of a redirect connection's pipeline, in order: the one place they are spelled. */
    static final String HTTP_CODEC = "httpCodec";
    static final String KEEP_ALIVE = "keepAlive";
    static final String AGGREGATOR = "aggregator";
    static final String REDIRECTOR = "redirector";

    private final int httpsPort;

    public HttpsRedirectInitializer(int httpsPort) {
        this.httpsPort = httpsPort;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast(HTTP_CODEC, new HttpServerCodec())
                .addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler())
                .addLast(AGGREGATOR, new HttpObjectAggregator(8192))
                .addLast(REDIRECTOR, new Redirector(httpsPort));
    }

    private static final class Redirector extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final int httpsPort;

        Redirector(int httpsPort) {
            this.httpsPort = httpsPort;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String host = RouteTable.normalizeHost(request.headers().get(HttpHeaderNames.HOST));
            if (host == null || !request.decoderResult().isSuccess()) {
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
