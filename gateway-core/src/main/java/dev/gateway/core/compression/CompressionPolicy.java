package dev.gateway.core.compression;

import dev.gateway.config.CompressionConfig;
import dev.gateway.config.ContentCoding;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [compression]} compiled once per routing snapshot, shared by the routes that compress:
 * the codings this machine can offer, their levels, the minimum length, the media types, and the
 * count of responses being compressed now (at most {@code max_concurrent}: each holds an encoder's
 * memory, so a crowd of slow readers cannot make the gateway hold thousands).
 */
public final class CompressionPolicy {

    private static final Logger log = LoggerFactory.getLogger(CompressionPolicy.class);

    private final List<ContentCoding> offered;
    private final int[] levels = new int[ContentCoding.values().length];
    private final long minLength;
    private final MediaTypes types;
    private final int maxConcurrent;
    private final AtomicInteger active = new AtomicInteger();

    public CompressionPolicy(CompressionConfig config) {
        List<ContentCoding> usable = new ArrayList<>();
        for (ContentCoding coding : config.algorithms()) {
            if (Encoders.available(coding)) {
                usable.add(coding);
            } else {
                log.warn("compression: {} is not available on this machine (its native library did not load); "
                        + "not offered", coding.token());
            }
        }
        this.offered = List.copyOf(usable);
        for (ContentCoding coding : ContentCoding.values()) {
            levels[coding.ordinal()] = config.level(coding);
        }
        this.minLength = config.minLength();
        this.types = new MediaTypes(config.types());
        this.maxConcurrent = config.maxConcurrent();
    }

    /**
     * The compressor for one exchange's response, or null when nothing about it can vary: an
     * HTTP/1.0 client (no chunked framing for a body of unknown length; nginx's
     * {@code gzip_http_version 1.1}) or a WebSocket handshake (an {@code Upgrade: h2c} offer, which
     * the JDK's client sends on every cleartext request, is not one).
     */
    public ResponseCompressor forRequest(HttpRequest request) {
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)
                || request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return null;
        }
        HttpHeaders headers = request.headers();
        ContentCoding coding = ContentNegotiation.select(headers.get(HttpHeaderNames.ACCEPT_ENCODING), offered);
        boolean transformable = coding != null
                && !request.method().equals(HttpMethod.HEAD)
                && !headers.contains(HttpHeaderNames.RANGE)
                && !NoTransform.in(headers); // RFC 9111 §5.2.1.6
        return new ResponseCompressor(this, transformable ? coding : null);
    }

    /** A representation of this type and length (-1: unknown) is worth compressing. */
    boolean worthIt(String contentType, long length) {
        return (length < 0 || length >= minLength && length > 0) && types.matches(contentType);
    }

    int level(ContentCoding coding) {
        return levels[coding.ordinal()];
    }

    /** Takes one of the {@code max_concurrent} places; false when all are taken. */
    boolean acquire() {
        if (active.incrementAndGet() > maxConcurrent) {
            active.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        active.decrementAndGet();
    }

    /** Responses being compressed now. */
    public int active() {
        return active.get();
    }
}
