package dev.gateway.core.admin;

import dev.gateway.core.protocol.ErrorResponses;
import dev.gateway.core.protocol.RequestIds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /ui/events}: the dashboard's live feed, Server-Sent Events. Once a second, on the admin
 * listener's own loop, the recent traffic is sampled (always, so a dashboard opened later has a
 * minute of history) and, while anyone listens, one {@link LiveReport} is rendered and the same
 * bytes written to every stream. A stream that has not taken the previous second's event is
 * skipped rather than queued; one that takes nothing for {@code send_timeout} is closed by the
 * listener's guard. At most {@link #MAX_STREAMS} at once (503 beyond).
 */
final class EventStream {

    static final String PATH = "/ui/events";
    static final int MAX_STREAMS = 16;
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    private final ServerState server;
    /** Open streams; touched only on the admin loop (the listener has exactly one). */
    private final List<Channel> streams = new ArrayList<>();

    EventStream(ServerState server) {
        this.server = server;
    }

    /** Starts the once-a-second tick on {@code loop}, the loop the admin connections run on. */
    void start(EventLoop loop) {
        loop.scheduleAtFixedRate(this::tick, 0, 1, TimeUnit.SECONDS);
    }

    void open(ChannelHandlerContext ctx, HttpRequest request) {
        if (streams.size() >= MAX_STREAMS) {
            ctx.writeAndFlush(ErrorResponses.create(HttpResponseStatus.SERVICE_UNAVAILABLE, RequestIds.generate()));
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("X-Accel-Buffering", "no");
        UiAssets.securityHeaders(head.headers());
        HttpUtil.setTransferEncodingChunked(head, true);
        if (HttpMethod.HEAD.equals(request.method())) {
            ctx.write(head);
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        ctx.write(head);
        Channel channel = ctx.channel();
        streams.add(channel);
        channel.closeFuture().addListener(f -> channel.eventLoop().execute(() -> streams.remove(channel)));
        // the first event at once, so the page fills without waiting for the next tick
        ctx.writeAndFlush(new DefaultHttpContent(event(render())));
    }

    /** Samples the traffic, then sends this second's event to every stream that has taken the last one. */
    void tick() {
        try {
            server.traffic().sample(server.snapshot(), System.nanoTime());
            if (streams.isEmpty()) {
                return;
            }
            ByteBuf event = event(render());
            try {
                for (Channel channel : List.copyOf(streams)) {
                    if (channel.isActive() && channel.isWritable()) {
                        channel.writeAndFlush(new DefaultHttpContent(event.retainedDuplicate()));
                    }
                }
            } finally {
                event.release();
            }
        } catch (RuntimeException e) {
            log.warn("dashboard sample failed: {}", e.toString(), e); // the next tick tries again
        }
    }

    int openStreams() {
        return streams.size();
    }

    private String render() {
        return LiveReport.of(server).toString();
    }

    /** One SSE event: the JSON on one {@code data:} line (it has no line breaks), and a blank line. */
    private static ByteBuf event(String json) {
        return Unpooled.wrappedBuffer(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
