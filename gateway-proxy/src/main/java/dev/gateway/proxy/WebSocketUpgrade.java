package dev.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The WebSocket opening handshake (RFC 6455 §4) as a proxy sees it: which requests ask for it, and
 * the two hop-by-hop headers that must be carried over each hop for it to work ({@code Upgrade} is
 * only acted on when {@code Connection} names it, RFC 9110 §7.8). Everything else in the handshake
 * (key, version, subprotocols, extensions) is end-to-end and passes through untouched.
 */
final class WebSocketUpgrade {

    private WebSocketUpgrade() {
    }

    /** A GET over HTTP/1.1 with {@code Upgrade: websocket} and {@code Connection: upgrade} (any case, in lists). */
    static boolean isRequested(HttpRequest request) {
        HttpHeaders headers = request.headers();
        return HttpMethod.GET.equals(request.method())
                && HttpVersion.HTTP_1_1.equals(request.protocolVersion())
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /**
     * Readies a target's {@code 101} for the client: its hop-by-hop headers dropped like any
     * response's, except the two the handshake needs, over HTTP/1.1.
     */
    static void prepareSwitchingResponse(HttpResponse response) {
        HopByHopHeaders.strip(response.headers());
        restoreHeaders(response.headers());
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** Puts the handshake's hop-by-hop headers back after {@link HopByHopHeaders#strip} dropped them. */
    static void restoreHeaders(HttpHeaders headers) {
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
}
