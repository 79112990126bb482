package dev.gateway.core.traffic;

import dev.gateway.core.http.Exchange;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Which exchanges are errors for the dashboard and why, in words an operator reads at a glance.
 * An error is any 5xx, and a 4xx the gateway answered itself (no target response was relayed):
 * a relayed 4xx is the application's business, and a 499 (the client left) is no response.
 */
final class ErrorReasons {

    private ErrorReasons() {
    }

    static boolean isError(Exchange e) {
        int status = e.status();
        return status >= 500 && status < 600 || status >= 400 && status < 500 && status != 499 && !relayed(e);
    }

    static String of(Exchange e) {
        if (relayed(e)) {
            return "from target";
        }
        if (e.abort() != null) {
            return "client " + e.abort().label;
        }
        switch (e.status()) {
            case 400: return "bad request";
            case 404: return "-".equals(e.route()) ? "no route" : "not found";
            case 405: return "method not allowed";
            case 408: return "body timeout";
            case 413: return "body too large";
            case 414: return "request line too long";
            case 417: return "expectation failed";
            case 429: return "rate limited";
            case 431: return "headers too large";
            case 502: return "target failed";
            case 503: return "no healthy target";
            case 504: return "target timeout";
            case 505: return "HTTP version not supported";
            default: return HttpResponseStatus.valueOf(e.status()).reasonPhrase().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A target's response head reached the client. */
    private static boolean relayed(Exchange e) {
        return e.upstreamNanos() >= 0;
    }
}
