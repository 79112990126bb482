package dev.gateway.core.compression;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/** The header changes compression makes to a response head. */
final class ResponseHeaders {

    private static final AsciiString ACCEPT_ENCODING = HttpHeaderNames.ACCEPT_ENCODING;

    private ResponseHeaders() {
    }

    /** {@code Vary: Accept-Encoding} added once (RFC 9110 §12.5.5); a {@code Vary: *} already says it all. */
    static void varyOnAcceptEncoding(HttpHeaders headers) {
        List<String> vary = headers.getAll(HttpHeaderNames.VARY);
        for (String value : vary) {
            if (value.trim().equals("*") || AsciiString.indexOfIgnoreCaseAscii(value, ACCEPT_ENCODING, 0) >= 0) {
                return;
            }
        }
        headers.add(HttpHeaderNames.VARY, "Accept-Encoding");
    }

    /** A strong ETag becomes weak: the compressed bytes are not the identity ones (RFC 9110 §8.8.1). */
    static void weakenEntityTag(HttpHeaders headers) {
        String etag = headers.get(HttpHeaderNames.ETAG);
        if (etag != null && etag.startsWith("\"")) {
            headers.set(HttpHeaderNames.ETAG, "W/" + etag);
        }
    }
}
