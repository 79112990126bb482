package dev.gateway.core.protocol;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/**
 * The {@code Date} header value (RFC 9110 §6.6.1), formatted once per second rather than per
 * response. IMF-fixdate (§5.6.7) has a two-digit day, which Netty's {@link DateFormatter} writes and
 * {@code DateTimeFormatter.RFC_1123_DATE_TIME} does not.
 */
public final class HttpDates {

    private static volatile Cached cached = new Cached(0, "");

    private HttpDates() {
    }

    public static String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached current = cached;
        if (current.second != second) {
            current = new Cached(second, format(second));
            cached = current;
        }
        return current.value;
    }

    /** The IMF-fixdate of a second since the epoch: {@code Thu, 03 Dec 2026 08:06:54 GMT}. */
    static String format(long epochSecond) {
        return DateFormatter.format(new Date(epochSecond * 1000));
    }

    private record Cached(long second, String value) {
    }
}
