package dev.gateway.core.compression;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/** {@code Cache-Control: no-transform} (RFC 9111 §5.2.1.6, §5.2.2.6): intermediaries must not change the content. */
final class NoTransform {

    private static final AsciiString NO_TRANSFORM = AsciiString.cached("no-transform");

    private NoTransform() {
    }

    static boolean in(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.CACHE_CONTROL)) {
            return false;
        }
        List<String> values = headers.getAll(HttpHeaderNames.CACHE_CONTROL);
        for (String value : values) {
            if (AsciiString.indexOfIgnoreCaseAscii(value, NO_TRANSFORM, 0) >= 0) {
                return true;
            }
        }
        return false;
    }
}
