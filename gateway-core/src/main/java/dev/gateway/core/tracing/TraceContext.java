package dev.gateway.core.tracing;

/**
 * The gateway's span of one request in a W3C trace (https://www.w3.org/TR/trace-context/): the
 * trace it belongs to, its own span id, the caller's span (from the client's {@code traceparent},
 * or null when the gateway started the trace), whether the trace is sampled, and the caller's
 * {@code tracestate}, passed on unchanged.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId the gateway's span: 16 lower-case hex digits, not all zero
 * @param parentSpanId the caller's span id, or null for a trace the gateway started
 * @param traceState the caller's {@code tracestate} (lines joined with ','), or null
 */
public record TraceContext(String traceId, String spanId, String parentSpanId, boolean sampled, String traceState) {

    /** The {@code traceparent} the gateway sends to the target: version 00, its own span as the parent. */
    public String traceparent() {
        return "00-" + traceId + '-' + spanId + (sampled ? "-01" : "-00");
    }
}
