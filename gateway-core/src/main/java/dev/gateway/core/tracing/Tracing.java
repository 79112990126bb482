package dev.gateway.core.tracing;

import dev.gateway.config.TracingConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context for every request, when {@code [tracing]} is on. {@link #begin} joins the trace
 * the client's {@code traceparent} names (keeping the caller's sampling decision) or starts one
 * (sampled with {@code sample_ratio}), gives the gateway a span id of its own, and rewrites the
 * request's {@code traceparent} to name that span, so the target's spans are children of the
 * gateway's. {@code tracestate} travels unchanged with a valid {@code traceparent} and is dropped
 * without one (§3.3). Off, nothing is read or written: the headers pass through as they came.
 */
public final class Tracing {

    public static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");
    public static final AsciiString TRACESTATE = AsciiString.cached("tracestate");
    /** Longest {@code tracestate} passed on; §3.3.1.1 asks for at least 512 characters to be kept. */
    static final int MAX_TRACESTATE = 512;

    public static final Tracing OFF = new Tracing(TracingConfig.OFF);

    private final boolean enabled;
    /** New traces are sampled when 63 random bits fall below this. */
    private final long threshold;

    private Tracing(TracingConfig config) {
        this.enabled = config.enabled();
        this.threshold = config.sampleRatio() >= 1.0 ? Long.MAX_VALUE : (long) (config.sampleRatio() * Long.MAX_VALUE);
    }

    public static Tracing from(TracingConfig config) {
        return config.enabled() ? new Tracing(config) : OFF;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * The gateway's span of the request whose head this is, with the head's {@code traceparent}
     * (and {@code tracestate}) rewritten for the target; null, touching nothing, when tracing is off.
     */
    public TraceContext begin(HttpHeaders headers) {
        if (!enabled) {
            return null;
        }
        List<String> parents = headers.getAll(TRACEPARENT);
        TraceParent.Parent parent = parents.size() == 1 ? TraceParent.parse(parents.get(0)) : null;
        TraceContext trace;
        if (parent != null) {
            trace = new TraceContext(parent.traceId(), TraceIds.randomSpanId(), parent.spanId(), parent.sampled(),
                    traceState(headers.getAll(TRACESTATE)));
        } else {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long high = random.nextLong();
            long low = random.nextLong() | 1; // never all zero
            boolean sampled = threshold == Long.MAX_VALUE || (low >>> 1) < threshold;
            trace = new TraceContext(TraceIds.hex(high, low), TraceIds.randomSpanId(), null, sampled, null);
        }
        headers.set(TRACEPARENT, trace.traceparent());
        if (trace.traceState() == null) {
            headers.remove(TRACESTATE);
        } else {
            headers.set(TRACESTATE, trace.traceState());
        }
        return trace;
    }

    /**
     * The trace {@link #begin} wrote into {@code headers}, for code that sees only the request (the
     * error pages of static sites); null when there is none.
     */
    public static TraceContext written(HttpHeaders headers) {
        TraceParent.Parent own = TraceParent.parse(headers.get(TRACEPARENT));
        return own == null ? null : new TraceContext(own.traceId(), own.spanId(), null, own.sampled(), null);
    }

    /** Several lines are one list (RFC 9110 §5.3); too long or with control characters, it is dropped. */
    private static String traceState(List<String> lines) {
        if (lines.isEmpty()) {
            return null;
        }
        String joined = lines.size() == 1 ? lines.get(0).trim() : String.join(",", lines).trim();
        if (joined.isEmpty() || joined.length() > MAX_TRACESTATE) {
            return null;
        }
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return null;
            }
        }
        return joined;
    }
}
