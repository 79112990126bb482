package dev.gateway.core.http;

import dev.gateway.core.protocol.HttpDates;
import dev.gateway.core.protocol.RequestIds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Every response leaves through here, whoever produced it (static files, proxy, errors): it stamps
 * {@code X-Request-Id}, the {@code Connection} header and a CORS route's headers, counts status and
 * bytes (as they go on the wire, after compression) for the access log, and tells the {@link ClientHandler} when the last byte of the response has been written.
 */
final class ResponseTracker extends ChannelOutboundHandlerAdapter {

    private static final String SERVER = "gateway";

    private final ClientHandler exchanges;

    ResponseTracker(ClientHandler exchanges) {
        this.exchanges = exchanges;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        Exchange exchange = exchanges.current();
        if (exchange == null) {
            ctx.write(msg, promise);
            return;
        }
        if (msg instanceof HttpResponse) {
            HttpResponse response = (HttpResponse) msg;
            if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                exchanges.responseStarted(exchange, response.status().code());
                stampSwitch(exchange, response);
                ctx.write(msg, promise);
                return;
            }
            if (response.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
                ctx.write(msg, promise);
                return;
            }
            exchanges.responseStarted(exchange, response.status().code());
            stampHead(exchange, response);
        }
        exchange.bytesOut += sizeOf(msg);
        if (msg instanceof LastHttpContent) {
            ChannelPromise tracked = promise.unvoid();
            tracked.addListener(f -> exchanges.responseWritten(exchange, f.isSuccess()));
            ctx.write(msg, tracked);
            return;
        }
        ctx.write(msg, promise);
    }

    /**
     * A WebSocket {@code 101} ends the HTTP part of the connection: it carries the request id and the
     * status for the access log, and keeps its {@code Connection: upgrade}. The exchange is logged
     * when the upgraded connection closes, not here.
     */
    private static void stampSwitch(Exchange exchange, HttpResponse response) {
        response.headers().set(RequestIds.HEADER, exchange.requestId);
        if (!response.headers().contains(HttpHeaderNames.DATE)) {
            response.headers().set(HttpHeaderNames.DATE, HttpDates.now());
        }
    }

    private static void stampHead(Exchange exchange, HttpResponse response) {
        HttpHeaders headers = response.headers();
        headers.set(RequestIds.HEADER, exchange.requestId);
        if (!headers.contains(HttpHeaderNames.DATE)) {
            headers.set(HttpHeaderNames.DATE, HttpDates.now());
        }
        if (exchange.cors != null) {
            exchange.cors.responseHeaders(exchange.origin, headers);
        }
        if (exchange.target == null && !headers.contains(HttpHeaderNames.SERVER)) {
            // Only on the gateway's own responses: a proxied one keeps (or, by rule, loses) the target's.
            headers.set(HttpHeaderNames.SERVER, SERVER);
        }
        if (!HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)
                && hasBody(exchange, response)) {
            // Delimited by connection close: the only way the client can see where it ends.
            exchange.keepAlive = false;
        }
        if (HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(response.headers().get(HttpHeaderNames.CONNECTION))) {
            exchange.keepAlive = false;
        }
        if (!exchange.keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if ("HTTP/1.0".equals(exchange.protocol)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            response.headers().remove(HttpHeaderNames.CONNECTION);
        }
    }

    private static boolean hasBody(Exchange exchange, HttpResponse response) {
        int code = response.status().code();
        return !"HEAD".equals(exchange.method) && code != 204 && code != 304;
    }

    private static long sizeOf(Object msg) {
        if (msg instanceof ByteBufHolder) {
            return ((ByteBufHolder) msg).content().readableBytes();
        }
        if (msg instanceof ByteBuf) {
            return ((ByteBuf) msg).readableBytes();
        }
        if (msg instanceof FileRegion) {
            return ((FileRegion) msg).count();
        }
        return 0;
    }
}
