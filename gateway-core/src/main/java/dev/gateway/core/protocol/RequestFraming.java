package dev.gateway.core.protocol;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * Framing checks on a decoded request head that Netty's decoder leaves to the application.
 * Ambiguous framing is how request smuggling starts (RFC 9112 §6.1, §6.3, §3.2), so every doubt
 * is a 400 and the connection is closed. Netty already rejects Content-Length with chunked,
 * differing Content-Length values and a final coding other than chunked; this adds the rest.
 */
public final class RequestFraming {

    private RequestFraming() {
    }

    /** Status for a request head Netty failed to decode. */
    public static HttpResponseStatus statusForDecodeFailure(Throwable cause) {
        if (cause instanceof UnsupportedHttpVersionException) {
            return HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED;
        }
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        if (cause instanceof TooLongFrameException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return HttpResponseStatus.BAD_REQUEST;
    }

    /** Returns why the head is unacceptable, or null when it is fine. */
    public static String problem(HttpRequest request) {
        HttpHeaders headers = request.headers();
        List<String> encodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!encodings.isEmpty()
                && (encodings.size() > 1 || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(encodings.get(0).trim()))) {
            return "Transfer-Encoding other than exactly 'chunked'";
        }
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return "several Host headers";
        }
        if (hosts.isEmpty() && request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return "HTTP/1.1 request without Host";
        }
        if (!hosts.isEmpty() && !HostHeader.isValid(hosts.get(0))) {
            return "malformed Host header";
        }
        return null;
    }
}
