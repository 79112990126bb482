package dev.gateway.core.admin;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's files, from the jar: {@code GET /} is the page, {@code /ui/NAME} its script,
 * style and icon. A fixed list read once at start-up, so no request path ever reaches the file
 * system. Every answer forbids framing (the page has a reload button) and any source but the
 * listener itself ({@code Content-Security-Policy}); no CDN, nothing fetched from elsewhere.
 */
final class UiAssets {

    static final String INDEX = "/";
    static final String PREFIX = "/ui/";
    private static final String ROOT = "/dev/gateway/core/admin/ui/";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(byte[] body, String contentType) {
    }

    private final Map<String, Asset> assets = Map.of(
            INDEX, load("index.html", "text/html; charset=utf-8"),
            PREFIX + "dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
            PREFIX + "dashboard.css", load("dashboard.css", "text/css; charset=utf-8"),
            PREFIX + "favicon.svg", load("favicon.svg", "image/svg+xml"));

    boolean has(String path) {
        return assets.containsKey(path);
    }

    /** The response to a GET or HEAD of a path {@link #has} knows. */
    FullHttpResponse respond(HttpRequest request, String path) {
        Asset asset = assets.get(path);
        boolean head = HttpMethod.HEAD.equals(request.method());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(asset.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, asset.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, asset.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        securityHeaders(response.headers());
        return response;
    }

    static void securityHeaders(HttpHeaders headers) {
        headers.set("Content-Security-Policy", CSP)
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer");
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = UiAssets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the jar: " + ROOT + name);
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
