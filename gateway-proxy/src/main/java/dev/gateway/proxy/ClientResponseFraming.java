package dev.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Turns a target's response head into the head for the client hop (RFC 9110 §7.6.1, RFC 9112 §6.3): hop-by-hop
 * headers dropped, and the body re-framed. A body the target delimited by closing its connection
 * is sent chunked to HTTP/1.1 clients, so their connection stays reusable; HTTP/1.0 clients get it
 * close-delimited (the server core then closes their connection after it). HEAD, 204 and 304
 * responses have no body and keep their headers.
 */
final class ClientResponseFraming {

    private ClientResponseFraming() {
    }

    /**
     * Rewrites {@code response} in place.
     *
     * @return true when the body is delimited by the target closing its connection, which then
     *         cannot be pooled
     */
    static boolean prepare(HttpResponse response, boolean headRequest, boolean clientHttp10) {
        HttpHeaders headers = response.headers();
        int status = response.status().code();
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean bodyless = headRequest || status == 204 || status == 304;
        HopByHopHeaders.strip(headers);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (bodyless || headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return false;
        }
        if (!clientHttp10) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return !chunked;
    }
}
