package dev.gateway.core.compression;

import dev.gateway.config.ContentCoding;
import dev.gateway.staticfiles.BodyTransform;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Compresses one exchange's response on its way to the client; put in the client pipeline for
 * that exchange only (routes that do not compress never see it). It decides at the response head:
 * <ul>
 *   <li>Left alone, without {@code Vary}: 1xx, 204, 206, 304, a body that already has a
 *       {@code Content-Encoding} (a precompressed file, a target's own gzip), a media type not in
 *       {@code types}, a known length below {@code min_length}, {@code Cache-Control: no-transform}
 *       (RFC 9111 §5.2.2.6).</li>
 *   <li>Otherwise the response varies with {@code Accept-Encoding} and says so ({@code Vary},
 *       RFC 9110 §12.5.5), and is compressed unless the client accepts no offered coding, asked
 *       with HEAD or {@code Range}, sent {@code no-transform}, or {@code max_concurrent} is reached.</li>
 *   <li>Compressed: {@code Content-Encoding} set, {@code Content-Length} and {@code Accept-Ranges}
 *       dropped (the length is unknown, ranges would be of the coded bytes), a strong {@code ETag}
 *       made weak (the bytes differ from the identity ones, RFC 9110 §8.8.1).</li>
 * </ul>
 * The body streams: bytes are collected up to {@value #BATCH} bytes or the next flush, whichever
 * comes first, then encoded and written, so a slow or endless body (server-sent events) goes out as
 * it comes and the gateway never holds more than one batch and the encoder's window.
 */
public final class ResponseCompressor extends ChannelOutboundHandlerAdapter implements BodyTransform {

    static final int BATCH = 64 * 1024;

    private final CompressionPolicy policy;
    /** The coding to use, or null when this request cannot get one (only Vary is added). */
    private final ContentCoding coding;
    private EmbeddedChannel encoder;
    private ByteBuf pending;
    private boolean compressing;
    private boolean holdsPlace;

    ResponseCompressor(CompressionPolicy policy, ContentCoding coding) {
        this.policy = policy;
        this.coding = coding;
    }

    /** The coding this request would get, or null. */
    public ContentCoding coding() {
        return coding;
    }

    @Override
    public boolean transforms(String contentType, long length) {
        return coding != null && policy.worthIt(contentType, length);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse) {
            HttpResponse response = (HttpResponse) msg;
            if (response.status().code() >= 200 && decide(response)) {
                startCompressing(ctx, response, promise);
                return;
            }
        }
        if (!compressing) {
            ctx.write(msg, promise);
            return;
        }
        if (msg instanceof ByteBuf || msg instanceof HttpContent) {
            compress(ctx, msg, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (compressing && pending != null && pending.isReadable()) {
            writeEncoded(ctx, encode(ctx), false, null, ctx.voidPromise());
        }
        ctx.flush();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop(); // the connection closed, or the exchange ended before its response did
    }

    /** Adds Vary and returns true when this response is to be compressed. */
    private boolean decide(HttpResponse response) {
        int status = response.status().code();
        HttpHeaders headers = response.headers();
        if (status == 204 || status == 206 || status == 304 || headers.contains(HttpHeaderNames.CONTENT_ENCODING)
                || headers.contains(HttpHeaderNames.CONTENT_RANGE)) {
            return false;
        }
        long length = HttpUtil.getContentLength(response, -1L);
        if (!policy.worthIt(headers.get(HttpHeaderNames.CONTENT_TYPE), length) || NoTransform.in(headers)) {
            return false;
        }
        ResponseHeaders.varyOnAcceptEncoding(headers);
        if (coding == null || !policy.acquire()) {
            return false;
        }
        holdsPlace = true;
        headers.set(HttpHeaderNames.CONTENT_ENCODING, coding.token());
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        headers.remove(HttpHeaderNames.ACCEPT_RANGES);
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ResponseHeaders.weakenEntityTag(headers);
        return true;
    }

    private void startCompressing(ChannelHandlerContext ctx, HttpResponse response, ChannelPromise promise) {
        compressing = true;
        encoder = Encoders.open(coding, policy.level(coding), ctx.channel());
        if (!(response instanceof FullHttpResponse)) {
            ctx.write(response, promise);
            return;
        }
        // A whole response (an error page, a gRPC-less HTTP/2 answer): head, then its body as the last piece.
        FullHttpResponse full = (FullHttpResponse) response;
        HttpResponse head = new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers());
        ctx.write(head, ctx.voidPromise());
        compress(ctx, new DefaultLastHttpContent(full.content(), full.trailingHeaders()), promise);
    }

    private void compress(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean last = msg instanceof LastHttpContent;
        HttpHeaders trailers = last ? ((LastHttpContent) msg).trailingHeaders() : null;
        try {
            ByteBuf data = msg instanceof ByteBufHolder ? ((ByteBufHolder) msg).content() : (ByteBuf) msg;
            if (data.isReadable()) {
                if (pending == null) {
                    pending = ctx.alloc().heapBuffer(Math.min(BATCH, Math.max(data.readableBytes(), 1024)));
                }
                pending.writeBytes(data);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (last) {
            writeEncoded(ctx, encode(ctx), true, trailers, promise);
            stop();
        } else if (pending != null && pending.readableBytes() >= BATCH) {
            writeEncoded(ctx, encode(ctx), false, null, promise);
        } else {
            promise.trySuccess(); // held in the batch; it goes out with the next flush
        }
    }

    /** Runs the batch through the encoder (and ends its stream when {@code finish}); returns what came out, or null. */
    private ByteBuf encode(ChannelHandlerContext ctx) {
        if (pending != null && pending.isReadable()) {
            encoder.writeOutbound(pending.retainedSlice());
            pending.clear();
        }
        return drain(ctx);
    }

    private ByteBuf drain(ChannelHandlerContext ctx) {
        ByteBuf out = null;
        for (ByteBuf piece = encoder.readOutbound(); piece != null; piece = encoder.readOutbound()) {
            if (!piece.isReadable()) {
                piece.release();
            } else if (out == null) {
                out = piece;
            } else {
                out = ctx.alloc().compositeBuffer().addComponents(true, out, piece);
            }
        }
        return out;
    }

    private void writeEncoded(ChannelHandlerContext ctx, ByteBuf encoded, boolean last, HttpHeaders trailers,
                              ChannelPromise promise) {
        if (last) {
            encoder.finish();
            ByteBuf tail = drain(ctx);
            if (tail != null) {
                encoded = encoded == null ? tail : ctx.alloc().compositeBuffer().addComponents(true, encoded, tail);
            }
            LastHttpContent end = new DefaultLastHttpContent(encoded == null ? ctx.alloc().buffer(0) : encoded);
            end.trailingHeaders().set(trailers);
            ctx.write(end, promise);
            return;
        }
        if (encoded == null) {
            promise.trySuccess();
            return;
        }
        ctx.write(new DefaultHttpContent(encoded), promise);
    }

    /** Frees the encoder, the batch and the place; safe to call more than once. */
    private void stop() {
        compressing = false;
        if (encoder != null) {
            encoder.finishAndReleaseAll();
            encoder = null;
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (holdsPlace) {
            holdsPlace = false;
            policy.release();
        }
    }
}
