package dev.gateway.core.admin;

import dev.gateway.core.http.ErrorResponses;
import dev.gateway.core.http.RequestIds;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The admin listener: {@code GET /health} (process alive), {@code GET /ready} (listening, config
 * loaded), {@code GET /status} (JSON, see {@link StatusReport}), {@code GET /metrics} (Prometheus,
 * see {@link MetricsEndpoint}) and {@code POST /reload} (see {@link ReloadEndpoint}).
 */
public final class AdminInitializer extends ChannelInitializer<SocketChannel> {

    /** Handler names of an admin connection's pipeline, in order: the one place they are spelled. */
    static final String HTTP_CODEC = "httpCodec";
    static final String KEEP_ALIVE = "keepAlive";
    static final String AGGREGATOR = "aggregator";
    static final String ADMIN = "admin";

    private final AdminHandler handler;

    public AdminInitializer(ServerState server) {
        this.handler = new AdminHandler(server);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast(HTTP_CODEC, new HttpServerCodec())
                .addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler())
                .addLast(AGGREGATOR, new HttpObjectAggregator(64 * 1024))
                .addLast(ADMIN, handler);
    }

    @ChannelHandler.Sharable
    private static final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ServerState server;
        private final ReloadEndpoint reload;
        private final MetricsEndpoint metrics;

        AdminHandler(ServerState server) {
            this.server = server;
            this.reload = new ReloadEndpoint(server);
            this.metrics = new MetricsEndpoint(server.metrics());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = request.uri();
            int query = path.indexOf('?');
            path = query < 0 ? path : path.substring(0, query);
            if (path.equals("/reload")) {
                reload.handle(ctx, request);
                return;
            }
            boolean known = path.equals("/health") || path.equals("/ready") || path.equals("/status")
                    || path.equals(MetricsEndpoint.PATH);
            if (!known) {
                ctx.writeAndFlush(ErrorResponses.create(HttpResponseStatus.NOT_FOUND, RequestIds.generate()));
                return;
            }
            if (!"GET".equals(request.method().name()) && !"HEAD".equals(request.method().name())) {
                FullHttpResponse response = ErrorResponses.create(HttpResponseStatus.METHOD_NOT_ALLOWED, RequestIds.generate());
                response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                ctx.writeAndFlush(response);
                return;
            }
            if (path.equals(MetricsEndpoint.PATH)) {
                ctx.writeAndFlush(metrics.respond(request));
            } else if (path.equals("/health")) {
                ctx.writeAndFlush(json(HttpResponseStatus.OK, "{\"status\":\"up\"}"));
            } else if (path.equals("/status")) {
                ctx.writeAndFlush(json(HttpResponseStatus.OK, StatusReport.of(server).toPrettyString()));
            } else if (server.isReady()) {
                ctx.writeAndFlush(json(HttpResponseStatus.OK, "{\"status\":\"ready\"}"));
            } else {
                ctx.writeAndFlush(json(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"not ready\"}"));
            }
        }

    }

    static FullHttpResponse json(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer((body + "\n").getBytes(StandardCharsets.UTF_8)));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }
}
