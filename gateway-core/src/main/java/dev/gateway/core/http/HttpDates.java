package dev.gateway.core.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The {@code Date} header value (RFC 9110 §6.6.1), formatted once per second rather than per response. */
final class HttpDates {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static volatile Cached cached = new Cached(0, "");

    private HttpDates() {
    }

    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached current = cached;
        if (current.second != second) {
            current = new Cached(second, FORMAT.format(Instant.ofEpochSecond(second)));
            cached = current;
        }
        return current.value;
    }

    private record Cached(long second, String value) {
    }
}
