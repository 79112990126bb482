package dev.gateway.staticfiles;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Date;
import java.util.List;

/**
 * Evaluates preconditions (RFC 9110 §13) against the selected representation's validators.
 *
 * <p>The order is the one RFC 9110 §13.2.2 prescribes, because the headers interact: a client
 * sending both {@code If-None-Match} and {@code If-Modified-Since} must be judged by the entity
 * tag alone (dates have one-second resolution and miss same-second edits), and a failed
 * {@code If-Match} wins over everything. Only GET and HEAD reach this class, so a matching
 * {@code If-None-Match} always means 304, never 412.
 *
 * <p>Dates compare at one-second resolution, the resolution of an HTTP date; a date that does
 * not parse makes its header ignored, as §13.1.3 and §13.1.4 require.
 */
final class ConditionalRequests {

    private ConditionalRequests() {
    }

    static Outcome evaluate(HttpHeaders headers, String etag, long lastModifiedMillis) {
        long lastModified = lastModifiedMillis / 1000;
        String ifMatch = joined(headers, HttpHeaderNames.IF_MATCH);
        if (ifMatch != null) {
            if (!EntityTags.matches(ifMatch, etag, true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            long since = seconds(headers.get(HttpHeaderNames.IF_UNMODIFIED_SINCE));
            if (since != Long.MIN_VALUE && lastModified > since) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        String ifNoneMatch = joined(headers, HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            return EntityTags.matches(ifNoneMatch, etag, false) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        long since = seconds(headers.get(HttpHeaderNames.IF_MODIFIED_SINCE));
        if (since != Long.MIN_VALUE && lastModified <= since) {
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a Range may be honoured under {@code If-Range} (RFC 9110 §13.1.5): true when the
     * header is absent, or names the current entity tag (strong comparison) or exactly the
     * current Last-Modified date. Otherwise the client's partial copy is stale and it gets the
     * whole representation.
     */
    static boolean rangeAllowed(String ifRange, String etag, long lastModifiedMillis) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return !value.startsWith("W/") && value.equals(etag);
        }
        long date = seconds(value);
        return date != Long.MIN_VALUE && date == lastModifiedMillis / 1000;
    }

    private static String joined(HttpHeaders headers, CharSequence name) {
        List<String> values = headers.getAll(name);
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(",", values);
    }

    /** Seconds since the epoch of an HTTP date, or {@link Long#MIN_VALUE} if absent or invalid. */
    private static long seconds(String httpDate) {
        if (httpDate == null) {
            return Long.MIN_VALUE;
        }
        Date date = DateFormatter.parseHttpDate(httpDate);
        return date == null ? Long.MIN_VALUE : Math.floorDiv(date.getTime(), 1000);
    }

    enum Outcome {
        PROCEED,
        NOT_MODIFIED,
        PRECONDITION_FAILED
    }
}
