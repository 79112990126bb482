package dev.gateway.core.protocol;

import dev.gateway.core.tracing.TraceContext;
import dev.gateway.core.tracing.Tracing;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's own error responses: short JSON bodies that carry the request id, and with tracing on
 * the trace and span ids (docs/configuration.md, "Status codes the gateway produces").
 */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    /**
     * The error for a request that may be a gRPC call: gRPC-shaped when {@code grpc} (see
     * {@link GrpcErrors}; no body, so no trace ids), else JSON.
     *
     * @param trace the request's span, or null (tracing off): its ids go in a JSON body
     */
    public static FullHttpResponse create(HttpResponseStatus status, String requestId, boolean grpc,
                                          TraceContext trace) {
        return grpc ? GrpcErrors.create(status, requestId) : json(status, requestId, trace);
    }

    public static FullHttpResponse create(HttpResponseStatus status, String requestId) {
        return json(status, requestId, null);
    }

    /** @param trace the request's span, or null (tracing off): its ids go in the body */
    private static FullHttpResponse json(HttpResponseStatus status, String requestId, TraceContext trace) {
        String body = "{\"status\":" + status.code()
                + ",\"error\":\"" + status.reasonPhrase()
                + "\",\"request_id\":\"" + (requestId == null ? "" : requestId)
                + (trace == null ? "" : "\",\"trace_id\":\"" + trace.traceId() + "\",\"span_id\":\"" + trace.spanId())
                + "\"}\n";
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }

    /** For modules that only see the request: the gateway has put the request id in its headers. */
    public static FullHttpResponse forRequest(HttpRequest request, HttpResponseStatus status) {
        return create(status, request.headers().get(RequestIds.HEADER), GrpcErrors.isGrpc(request.headers()), null);
    }

    /** As {@link #forRequest}, with tracing on: the request's {@code traceparent} is the gateway's span. */
    public static FullHttpResponse forTracedRequest(HttpRequest request, HttpResponseStatus status) {
        return create(status, request.headers().get(RequestIds.HEADER), GrpcErrors.isGrpc(request.headers()),
                Tracing.written(request.headers()));
    }
}
