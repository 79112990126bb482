package dev.gateway.core.metrics;

import dev.gateway.core.http.ClientAbort;
import dev.gateway.core.http.Exchange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Per-request metrics, recorded once per exchange where its access-log line is written:
 * {@code gateway_requests_total{route,method,status_class}},
 * {@code gateway_request_duration_seconds{route,status_class}} (a histogram),
 * {@code gateway_request_body_bytes_total{route}}, {@code gateway_response_body_bytes_total{route}},
 * {@code gateway_rejected_requests_total{reason}} and {@code gateway_client_aborts_total{reason}}.
 *
 * <p>Recording runs on every event loop for every request, so it does no registry lookups and
 * builds no tags: each route's meters sit in arrays indexed by method and status class, filled the
 * first time a combination occurs (then shared by all loops; a racing first registration returns
 * the same meter from the registry). Only combinations that occur become series.
 */
public final class RequestMetrics {

    /**
     * Histogram buckets (Prometheus {@code le}) of request and upstream durations: 15 bounds from
     * 0.5 ms to 30 s, about 2.5x apart, fine enough for {@code histogram_quantile} to place a p99
     * and few enough that each (route, status class) costs 18 series rather than the ~70 of
     * Micrometer's default percentile histogram.
     */
    public static final Duration[] DURATION_BUCKETS = {
        Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private static final int CLASSES = MetricLabels.STATUS_CLASSES.length;

    private final MeterRegistry registry;
    /** by route name as the access log writes it; bounded by the configured routes */
    private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();
    private final Counter[] rejected = new Counter[Rejection.values().length];
    private final Counter[] aborts = new Counter[ClientAbort.values().length];

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Rejection r : Rejection.values()) {
            // All reasons exist from the start, so a dashboard shows 0 rather than no data.
            rejected[r.ordinal()] = Counter.builder("gateway.rejected.requests")
                    .description("Requests the gateway answered itself with an error, by reason")
                    .tag("reason", r.label)
                    .register(registry);
        }
        for (ClientAbort a : ClientAbort.values()) {
            aborts[a.ordinal()] = Counter.builder("gateway.client.aborts")
                    .description("Exchanges the client cut short (nothing is counted against a target for them), by reason")
                    .tag("reason", a.label)
                    .register(registry);
        }
    }

    /** Records one finished exchange (response written, or the client went away). */
    void completed(Exchange e, long nowNanos) {
        RouteMeters route = routes.get(e.route());
        if (route == null) {
            route = routes.computeIfAbsent(e.route(), RouteMeters::new);
        }
        int statusClass = MetricLabels.statusClassIndex(e.status());
        route.requests(MetricLabels.methodIndex(e.method()), statusClass).increment();
        route.duration(statusClass).record(nowNanos - e.startNanos(), TimeUnit.NANOSECONDS);
        if (e.bytesIn() > 0) {
            route.bytesIn.increment(e.bytesIn());
        }
        if (e.bytesOut() > 0) {
            route.bytesOut.increment(e.bytesOut());
        }
        ClientAbort abort = e.abort();
        if (abort != null) {
            aborts[abort.ordinal()].increment();
        }
        if (e.upstreamNanos() < 0) {
            Rejection rejection = Rejection.ofStatus(e.status());
            if (rejection != null) {
                rejected[rejection.ordinal()].increment();
            }
        }
    }

    /** The meters of one route name. */
    private final class RouteMeters {
        private final String route;
        private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(MetricLabels.METHODS.length * CLASSES);
        private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(CLASSES);
        private final Counter bytesIn;
        private final Counter bytesOut;

        RouteMeters(String name) {
            // "-" is the access log's "no route matched"
            this.route = "-".equals(name) ? "none" : name;
            this.bytesIn = Counter.builder("gateway.request.body").baseUnit("bytes")
                    .description("Request body bytes received from clients")
                    .tag("route", route).register(registry);
            this.bytesOut = Counter.builder("gateway.response.body").baseUnit("bytes")
                    .description("Response body bytes sent to clients")
                    .tag("route", route).register(registry);
        }

        Counter requests(int method, int statusClass) {
            int i = method * CLASSES + statusClass;
            Counter counter = requests.getAcquire(i);
            if (counter == null) {
                counter = Counter.builder("gateway.requests")
                        .description("Requests by route, method and response status class")
                        .tags("route", route, "method", MetricLabels.METHODS[method],
                                "status_class", MetricLabels.STATUS_CLASSES[statusClass])
                        .register(registry);
                requests.setRelease(i, counter);
            }
            return counter;
        }

        Timer duration(int statusClass) {
            Timer timer = durations.getAcquire(statusClass);
            if (timer == null) {
                timer = Timer.builder("gateway.request.duration")
                        .description("Time from the request head to the last byte of the response")
                        .tags("route", route, "status_class", MetricLabels.STATUS_CLASSES[statusClass])
                        .serviceLevelObjectives(DURATION_BUCKETS)
                        .register(registry);
                durations.setRelease(statusClass, timer);
            }
            return timer;
        }
    }
}
