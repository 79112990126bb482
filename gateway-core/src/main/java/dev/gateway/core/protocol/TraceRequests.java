package dev.gateway.core.protocol;

import dev.gateway.config.RouteAction;
import dev.gateway.core.routing.Route;
import io.netty.handler.codec.http.HttpMethod;

/**
 * TRACE asks the last recipient to echo the request back (RFC 9110 §9.3.8), cookies and
 * credentials included, which scripts can then read (cross-site tracing). The gateway never
 * answers it itself and forwards it only on a route whose {@code methods} names it; everywhere
 * else it is a 405. Static routes refuse it on their own (they allow GET and HEAD only).
 */
public final class TraceRequests {

    /** The methods a route without a {@code methods} list takes, for the 405's {@code Allow}. */
    public static final String ALLOW = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH";

    private static final String TRACE = HttpMethod.TRACE.name();

    private TraceRequests() {
    }

    /** True when {@code method} is TRACE and {@code route}, which matched it, does not name it. */
    public static boolean refused(HttpMethod method, Route route) {
        return HttpMethod.TRACE.equals(method) && !route.config().methods().contains(TRACE)
                && !(route.config().action() instanceof RouteAction.Static);
    }
}
