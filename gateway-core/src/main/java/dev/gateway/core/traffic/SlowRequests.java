package dev.gateway.core.traffic;

import dev.gateway.core.traffic.TrafficViews.SlowRequest;
import java.util.List;

/**
 * The last few requests of one route or target that took at least its current 90th percentile
 * (set once a second from the last minute's histogram), so a slow route in the dashboard comes
 * with request ids to look up in the access log. Until a percentile is known every request counts.
 */
final class SlowRequests {

    static final int KEPT = 4;

    private final Ring<SlowRequest> recent = new Ring<>(KEPT);
    private volatile long thresholdNanos;

    /** On the event loop: one volatile read, and a store when the request was slow. */
    void offer(String requestId, long durationNanos) {
        if (durationNanos >= thresholdNanos) {
            recent.add(new SlowRequest(requestId, Math.round(durationNanos / 10_000.0) / 100.0));
        }
    }

    void threshold(long nanos) {
        thresholdNanos = nanos;
    }

    List<SlowRequest> newestFirst() {
        return recent.newestFirst();
    }
}
