package dev.gateway.core.logging;

import dev.gateway.config.LoggingConfig;
import dev.gateway.core.http.Exchange;
import dev.gateway.core.tracing.TraceContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, in JSON or the combined format, to the {@code gateway.access} logger. The
 * logging setup puts a non-blocking async appender behind that logger, so the event loop only
 * formats the line and enqueues it.
 */
public final class AccessLog {

    public static final String LOGGER = "gateway.access";
    private static final Logger out = LoggerFactory.getLogger(LOGGER);
    private static final DateTimeFormatter COMBINED_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final boolean enabled;
    private final LoggingConfig.AccessLogFormat format;

    AccessLog(boolean enabled, LoggingConfig.AccessLogFormat format) {
        this.enabled = enabled;
        this.format = format;
    }

    public static AccessLog from(LoggingConfig config) {
        return new AccessLog(config.accessLogEnabled(), config.accessFormat());
    }

    public void log(Exchange e) {
        if (!enabled || !out.isInfoEnabled()) {
            return;
        }
        long now = System.nanoTime();
        out.info(format == LoggingConfig.AccessLogFormat.JSON ? json(e, now) : combined(e, now));
    }

    static String json(Exchange e, long nowNanos) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"time\":\"").append(Instant.now()).append('"');
        field(b, "request_id", e.requestId());
        TraceContext trace = e.trace();
        if (trace != null) {
            field(b, "trace_id", trace.traceId());
            field(b, "span_id", trace.spanId());
        }
        field(b, "client_ip", e.clientIp());
        field(b, "method", e.method());
        field(b, "path", e.uri());
        field(b, "protocol", e.protocol());
        b.append(",\"status\":").append(e.status());
        b.append(",\"bytes_in\":").append(e.bytesIn());
        b.append(",\"bytes_out\":").append(e.bytesOut());
        b.append(",\"duration_ms\":").append(millis(nowNanos - e.startNanos()));
        field(b, "route", e.route());
        field(b, "target", e.target());
        if (e.upstreamNanos() >= 0) {
            b.append(",\"upstream_ms\":").append(millis(e.upstreamNanos()));
        }
        field(b, "user_agent", e.userAgent());
        if (e.abort() != null) {
            field(b, "aborted", e.abort().label);
        }
        return b.append('}').toString();
    }

    /** Apache/nginx "combined", plus request time, request id, route, target and trace at the end. */
    static String combined(Exchange e, long nowNanos) {
        return e.clientIp() + " - - [" + COMBINED_TIME.format(Instant.now()) + "] \""
                + e.method() + ' ' + e.uri() + ' ' + e.protocol() + "\" " + e.status() + ' ' + e.bytesOut()
                + " \"" + quoteSafe(e.referer()) + "\" \"" + quoteSafe(e.userAgent()) + "\" rt="
                + seconds(nowNanos - e.startNanos()) + " rid=" + e.requestId() + " route=" + e.route()
                + (e.target() == null ? "" : " target=" + e.target())
                + (e.trace() == null ? "" : " trace_id=" + e.trace().traceId() + " span_id=" + e.trace().spanId());
    }

    /** nginx's $request_time: seconds with millisecond resolution, e.g. 0.218 */
    private static String seconds(long nanos) {
        long millis = Math.round(nanos / 1_000_000.0);
        return millis / 1000 + "." + (char) ('0' + millis / 100 % 10) + (char) ('0' + millis / 10 % 10)
                + (char) ('0' + millis % 10);
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static String quoteSafe(String s) {
        return s == null ? "-" : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        b.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }
}
