package dev.gateway.core.http;

import dev.gateway.core.tracing.TraceContext;

/** Finished exchanges built by hand, for tests of what reads them (access log, metrics). */
public final class Exchanges {

    private Exchanges() {
    }

    /** A request head as it arrived, on no connection. */
    public static Exchange started(String requestId, String method, String uri, String protocol, String clientIp,
                                   String userAgent, String referer, long startNanos) {
        return new Exchange(requestId, method, uri, protocol, clientIp, userAgent, referer, startNanos, true,
                null, null, false);
    }

    /** The same exchange, ended with {@code status} after going through {@code route} (and to {@code target}). */
    public static Exchange ended(Exchange e, String route, String target, long upstreamNanos, int status,
                                 long bytesIn, long bytesOut) {
        e.route = route;
        e.target = target;
        e.upstreamNanos = upstreamNanos;
        e.status = status;
        e.bytesIn = bytesIn;
        e.bytesOut = bytesOut;
        return e;
    }

    /** The same exchange, with {@code trace} as the gateway's span of it. */
    public static Exchange traced(Exchange e, TraceContext trace) {
        e.trace = trace;
        return e;
    }
}
