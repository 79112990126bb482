package dev.gateway.staticfiles;

import dev.gateway.config.StaticSiteConfig;
import dev.gateway.staticfiles.ByteRanges.ByteRange;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Serves one directory as a web site: GET and HEAD of files with the validators, conditional
 * requests, byte ranges and precompressed variants that nginx and Caddy users rely on.
 *
 * <p>Safe to share between event loops; built once per configuration snapshot. A request for a
 * file seen recently costs one {@code stat} (see {@link FileCache}) and, for a GET with a body,
 * one {@code open}; the file is closed when its last byte is written or the connection drops.
 */
public final class StaticSite {

    private static final String ALLOWED_METHODS = "GET, HEAD";
    /** Browsers must not second-guess the Content-Type (an upload rendered as HTML is XSS). */
    private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
    private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");

    private final FileCache files;
    private final String cacheControl;
    private final BiFunction<HttpRequest, HttpResponseStatus, FullHttpResponse> errorResponses;

    /**
     * Built once per config snapshot, off the event loop. {@code errorResponses} builds the
     * gateway's standard JSON error response for a request and status; StaticSite may add headers
     * (Allow, Content-Range) to it before writing.
     *
     * @throws UncheckedIOException when the root cannot be resolved (it was validated to exist)
     */
    public StaticSite(StaticSiteConfig config,
                      BiFunction<HttpRequest, HttpResponseStatus, FullHttpResponse> errorResponses) {
        Objects.requireNonNull(config, "config");
        this.errorResponses = Objects.requireNonNull(errorResponses, "errorResponses");
        Path realRoot;
        try {
            realRoot = config.root().toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("static root: " + config.root() + " (expected: an existing directory)", e);
        }
        this.files = new FileCache(new RequestPathResolver(config.root(), realRoot, config.index(), config.spaFallback()));
        this.cacheControl = config.cacheControl() == null ? "" : config.cacheControl();
    }

    /**
     * Writes one complete response for request to ctx and returns the future of its last write.
     *
     * @param path the request's path as the gateway normalized it (dot-segments removed, still
     *        percent-encoded): a directory redirect's Location is built from it, never from the
     *        raw request-target
     * @param query the query string without its '?', or null; a directory redirect keeps it
     * @param pathInSite the part of {@code path} below the site root, "" or starting with "/". For
     *        the default site it is the request path; for a route "/docs/*" and request
     *        "/docs/a.html" it is "/a.html", for "/docs" it is "".
     */
    public ChannelFuture serve(ChannelHandlerContext ctx, HttpRequest request, String path, String query,
                               String pathInSite) {
        return serve(ctx, request, path, query, pathInSite, null);
    }

    /**
     * As {@link #serve(ChannelHandlerContext, HttpRequest, String, String, String)}, with a body
     * transform on the way out (null: none): a whole, identity-coded file it will re-encode is sent
     * as chunks of bytes rather than zero-copy. A precompressed sibling still wins when the client
     * accepts it (it already has a Content-Encoding, so nothing re-encodes it).
     */
    public ChannelFuture serve(ChannelHandlerContext ctx, HttpRequest request, String path, String query,
                               String pathInSite, BodyTransform transform) {
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            return error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    h -> h.set(HttpHeaderNames.ALLOW, ALLOWED_METHODS));
        }
        Resolution resolution = files.resolve(pathInSite);
        return switch (resolution.kind()) {
            case FILE -> serveFile(ctx, request, resolution, transform);
            case DIRECTORY_WITHOUT_SLASH -> redirectToDirectory(ctx, path, query);
            case REFUSED -> error(ctx, request, resolution.status(), h -> { });
        };
    }

    private ChannelFuture serveFile(ChannelHandlerContext ctx, HttpRequest request, Resolution resolution,
                                    BodyTransform transform) {
        HttpHeaders requestHeaders = request.headers();
        Representation rep = resolution.representations().select(requestHeaders.get(HttpHeaderNames.ACCEPT_ENCODING));

        switch (ConditionalRequests.evaluate(requestHeaders, rep.etag(), rep.lastModifiedMillis())) {
            case NOT_MODIFIED:
                return notModified(ctx, rep);
            case PRECONDITION_FAILED:
                return error(ctx, request, HttpResponseStatus.PRECONDITION_FAILED, h -> { });
            default:
                break;
        }

        ByteRanges.Result ranges = ranges(requestHeaders, rep);
        if (ranges.kind() == ByteRanges.Kind.UNSATISFIABLE) {
            return error(ctx, request, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    h -> h.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + rep.size()));
        }

        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        addRepresentationHeaders(head.headers(), rep);
        BodyPlan body = planBody(head, rep, ranges);

        if (request.method().equals(HttpMethod.HEAD)) {
            ctx.write(head);
            return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(rep.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (AccessDeniedException e) {
            return error(ctx, request, HttpResponseStatus.FORBIDDEN, h -> { });
        } catch (IOException e) {
            // replaced or removed since the stat a moment ago
            return error(ctx, request, HttpResponseStatus.NOT_FOUND, h -> { });
        }
        boolean bytes = transform != null && rep.coding() == AcceptEncoding.Coding.IDENTITY
                && ranges.kind() == ByteRanges.Kind.FULL && transform.transforms(rep.contentType(), rep.size());
        return BodyWriter.write(ctx, head, channel, body, bytes);
    }

    /** Sets status, Content-Type, Content-Range and Content-Length of a 200 or 206, and plans its body. */
    private static BodyPlan planBody(HttpResponse head, Representation rep, ByteRanges.Result ranges) {
        HttpHeaders headers = head.headers();
        headers.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        List<ByteRange> parts = ranges.ranges();
        BodyPlan body;
        if (ranges.kind() == ByteRanges.Kind.FULL) {
            body = BodyPlan.slice(0, rep.size());
            headers.set(HttpHeaderNames.CONTENT_TYPE, rep.contentType());
        } else if (parts.size() == 1) {
            ByteRange range = parts.get(0);
            body = BodyPlan.slice(range.first(), range.length());
            head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
            headers.set(HttpHeaderNames.CONTENT_TYPE, rep.contentType());
            headers.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(rep.size()));
        } else {
            String boundary = BodyPlan.newBoundary();
            body = BodyPlan.multipart(parts, rep.size(), rep.contentType(), boundary);
            head.setStatus(HttpResponseStatus.PARTIAL_CONTENT);
            headers.set(HttpHeaderNames.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary);
        }
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.contentLength());
        return body;
    }

    /**
     * The Range header is honoured for GET and, so that HEAD answers with the headers GET would
     * have (RFC 9110 §9.3.2), for HEAD too, as nginx and Caddy do; If-Range decides whether the
     * client's partial copy is still current (RFC 9110 §13.1.5).
     */
    private static ByteRanges.Result ranges(HttpHeaders requestHeaders, Representation rep) {
        String range = requestHeaders.get(HttpHeaderNames.RANGE);
        if (range == null || !ConditionalRequests.rangeAllowed(
                requestHeaders.get(HttpHeaderNames.IF_RANGE), rep.etag(), rep.lastModifiedMillis())) {
            return ByteRanges.FULL;
        }
        return ByteRanges.parse(range, rep.size());
    }

    /**
     * 304 carries the headers a 200 would have that help caches update (RFC 9110 §15.4.5), and a
     * Content-Length equal to the 200's body length, the only value §8.6 allows.
     */
    private ChannelFuture notModified(ChannelHandlerContext ctx, Representation rep) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
        addRepresentationHeaders(response.headers(), rep);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, rep.size());
        return ctx.writeAndFlush(response);
    }

    private void addRepresentationHeaders(HttpHeaders headers, Representation rep) {
        headers.set(HttpHeaderNames.ETAG, rep.etag());
        headers.set(HttpHeaderNames.LAST_MODIFIED, rep.lastModified());
        headers.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        if (rep.coding().token != null) {
            headers.set(HttpHeaderNames.CONTENT_ENCODING, rep.coding().token);
        }
        if (rep.hasVariants()) {
            headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        if (!cacheControl.isEmpty()) {
            headers.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        }
    }

    /**
     * A directory asked for without its trailing slash is redirected (301, as nginx does) so that
     * relative links in its index resolve against the directory, keeping the query.
     */
    private ChannelFuture redirectToDirectory(ChannelHandlerContext ctx, String path, String query) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY, Unpooled.EMPTY_BUFFER);
        response.headers()
                .set(HttpHeaderNames.LOCATION, directoryLocation(path, query))
                .set(HttpHeaderNames.CONTENT_LENGTH, 0)
                .set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        return ctx.writeAndFlush(response);
    }

    /** {@code path/?query}, encoded by {@link LocationEncoding}: never {@code //host} or {@code /\host}. */
    static String directoryLocation(String path, String query) {
        String location = LocationEncoding.path(path);
        if (!location.endsWith("/")) {
            location += "/";
        }
        return query == null ? location : location + "?" + LocationEncoding.query(query);
    }

    private ChannelFuture error(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                Consumer<HttpHeaders> extraHeaders) {
        FullHttpResponse response = errorResponses.apply(request, status);
        HttpHeaders headers = response.headers();
        extraHeaders.accept(headers);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        headers.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        return ctx.writeAndFlush(response);
    }
}
