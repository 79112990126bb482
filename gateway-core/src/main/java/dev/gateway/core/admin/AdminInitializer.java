package dev.gateway.core.admin;

import dev.gateway.core.listener.ConnectionLimiter;
import dev.gateway.core.listener.WholeRequestGuard;
import dev.gateway.core.protocol.ErrorResponses;
import dev.gateway.core.protocol.RequestIds;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
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
 * see {@link MetricsEndpoint}), {@code POST /reload} (see {@link ReloadEndpoint}), and the dashboard:
 * {@code GET /} and {@code /ui/...} ({@link UiAssets}) with its live feed {@code GET /ui/events}
 * ({@link EventStream}). Before any of them, the page and its feed included: a Host other than an IP literal, localhost or an allowed name is 421 ({@link AdminHosts}),
 * a state-changing request from another site's page is 403 ({@link CrossSiteRequests}).
 *
 * <p>Its connections count against a limit of their own ({@code [admin] max_connections}), not the
 * traffic's, and are held to {@code [server] header_timeout} and {@code idle_timeout} (see
 * {@link WholeRequestGuard}); request heads and bodies are bounded below.
 */
public final class AdminInitializer extends ChannelInitializer<SocketChannel> {

    /** Handler names of an admin connection's pipeline, in order: the one place they are spelled. */
    static final String TIMEOUTS = "timeouts";
    static final String HTTP_CODEC = "httpCodec";
    static final String KEEP_ALIVE = "keepAlive";
    static final String AGGREGATOR = "aggregator";
    static final String GUARD = "guard";
    static final String ADMIN = "admin";

    /** Request bounds: Netty's default line and head sizes, and a body of 64 KiB at most (413 beyond). */
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;
    static final int MAX_CONTENT_LENGTH = 64 * 1024;

    private final ServerState server;
    private final ConnectionLimiter limiter;
    private final AdminHandler handler;

    /** @param loop the admin listener's event loop: its connections and the dashboard's once-a-second tick run there */
    public AdminInitializer(ServerState server, EventLoop loop) {
        this.server = server;
        this.limiter = new ConnectionLimiter(server.config().admin().maxConnections());
        EventStream events = new EventStream(server);
        this.handler = new AdminHandler(server, events);
        events.start(loop);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        WholeRequestGuard guard = WholeRequestGuard.admit(ch, limiter, server.config().server());
        if (guard == null) {
            return;
        }
        ch.pipeline()
                .addLast(TIMEOUTS, guard.timeouts())
                .addLast(HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_INITIAL_LINE)
                        .setMaxHeaderSize(MAX_HEADER_SIZE)))
                .addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler())
                .addLast(AGGREGATOR, new HttpObjectAggregator(MAX_CONTENT_LENGTH))
                .addLast(GUARD, guard)
                .addLast(ADMIN, handler);
    }

    @ChannelHandler.Sharable
    private static final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ServerState server;
        private final AdminHosts hosts;
        private final ReloadEndpoint reload;
        private final MetricsEndpoint metrics;
        private final UiAssets ui = new UiAssets();
        private final EventStream events;

        AdminHandler(ServerState server, EventStream events) {
            this.server = server;
            this.hosts = new AdminHosts(server.config().admin().allowedHosts());
            this.reload = new ReloadEndpoint(server);
            this.metrics = new MetricsEndpoint(server.metrics());
            this.events = events;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!hosts.accepts(request.headers().get(HttpHeaderNames.HOST))) {
                ctx.writeAndFlush(ErrorResponses.create(HttpResponseStatus.MISDIRECTED_REQUEST, RequestIds.generate()));
                return;
            }
            if (CrossSiteRequests.refused(request)) {
                ctx.writeAndFlush(ErrorResponses.create(HttpResponseStatus.FORBIDDEN, RequestIds.generate()));
                return;
            }
            String path = request.uri();
            int query = path.indexOf('?');
            path = query < 0 ? path : path.substring(0, query);
            if (path.equals("/reload")) {
                reload.handle(ctx, request);
                return;
            }
            boolean known = path.equals("/health") || path.equals("/ready") || path.equals("/status")
                    || path.equals(MetricsEndpoint.PATH) || path.equals(EventStream.PATH) || ui.has(path);
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
            } else if (path.equals(EventStream.PATH)) {
                events.open(ctx, request);
            } else if (ui.has(path)) {
                ctx.writeAndFlush(ui.respond(request, path));
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
