package dev.gateway.core.admin;

import dev.gateway.core.metrics.GatewayMetrics;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * {@code GET /metrics} on the admin listener: the Prometheus text format 0.0.4, or OpenMetrics
 * 1.0 when the scraper's {@code Accept} asks for it (Prometheus does by default). Rendered on the
 * admin listener's own event loop, never on one that carries traffic.
 */
public final class MetricsEndpoint {

    static final String PATH = "/metrics";
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final GatewayMetrics metrics;

    MetricsEndpoint(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** The response to a GET or HEAD of {@link #PATH}. */
    FullHttpResponse respond(HttpRequest request) {
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        String contentType = accept != null && accept.contains("application/openmetrics-text")
                ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
        byte[] body = metrics.scrape(contentType);
        boolean head = HttpMethod.HEAD.equals(request.method());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }
}
