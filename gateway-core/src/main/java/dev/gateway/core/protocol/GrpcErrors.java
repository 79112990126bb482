package dev.gateway.core.protocol;

import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The gateway's own errors as a gRPC client understands them, as Envoy answers them: a gRPC call
 * ({@code content-type: application/grpc...}) gets HTTP 200 with {@code grpc-status} and
 * {@code grpc-message} and no body ("trailers-only", gRPC over HTTP/2 protocol), so the client
 * sees a status rather than a protocol error.
 */
public final class GrpcErrors {

    static final int DEADLINE_EXCEEDED = 4;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int UNIMPLEMENTED = 12;
    static final int INTERNAL = 13;
    static final int UNAVAILABLE = 14;
    static final int UNKNOWN = 2;
    static final int PERMISSION_DENIED = 7;
    static final int UNAUTHENTICATED = 16;

    private GrpcErrors() {
    }

    /** True for a gRPC call (any {@code application/grpc} subtype, such as {@code +proto}). */
    public static boolean isGrpc(HttpHeaders headers) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, "application/grpc", 0, 16);
    }

    /** The gRPC status code that tells a client what this gateway error means. */
    static int statusFor(HttpResponseStatus status) {
        switch (status.code()) {
            case 404: case 405: return UNIMPLEMENTED; // no route for the method
            case 408: case 504: return DEADLINE_EXCEEDED;
            case 413: case 414: case 429: case 431: return RESOURCE_EXHAUSTED;
            case 401: return UNAUTHENTICATED;
            case 403: return PERMISSION_DENIED;
            case 502: case 503: return UNAVAILABLE;
            case 400: case 505: return INTERNAL;
            default: return UNKNOWN;
        }
    }

    static FullHttpResponse create(HttpResponseStatus status, String requestId) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        String message = status.code() + " " + status.reasonPhrase() + " (request id " + requestId + ")";
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/grpc")
                .setInt("grpc-status", statusFor(status))
                // grpc-message is percent-encoded printable ASCII (gRPC over HTTP/2 protocol)
                .set("grpc-message", encode(message))
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    private static String encode(String message) {
        StringBuilder out = new StringBuilder(message.length());
        for (char c : message.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '%') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4 & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
