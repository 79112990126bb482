package dev.gateway.core.metrics;

import java.util.Locale;

/**
 * Why the gateway answered a request itself instead of serving or forwarding it: the
 * {@code reason} label of {@code gateway_rejected_requests_total}. Derived from the status of a
 * response the gateway produced (no upstream response head was relayed), so every place that
 * rejects (parsing limits, rate limiting, the proxy's 503/504) is counted without a hook of its own.
 */
enum Rejection {
    BAD_REQUEST(400),
    TOO_LARGE(413),
    URI_TOO_LONG(414),
    EXPECTATION_FAILED(417),
    RATE_LIMITED(429),
    HEADERS_TOO_LARGE(431),
    NO_HEALTHY_TARGET(503),
    UPSTREAM_TIMEOUT(504);

    private static final Rejection[] BY_STATUS = new Rejection[600];

    static {
        for (Rejection r : values()) {
            BY_STATUS[r.status] = r;
        }
    }

    final int status;
    final String label;

    Rejection(int status) {
        this.status = status;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** The rejection a gateway-produced response with this status stands for, or null (404, 405, 502, ...). */
    static Rejection ofStatus(int status) {
        return status >= 0 && status < BY_STATUS.length ? BY_STATUS[status] : null;
    }
}
