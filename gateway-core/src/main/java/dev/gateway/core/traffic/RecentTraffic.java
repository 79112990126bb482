package dev.gateway.core.traffic;

import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.RouteConfig;
import dev.gateway.core.http.Exchange;
import dev.gateway.core.http.ExchangeObserver;
import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.core.traffic.TrafficViews.ErrorSpike;
import dev.gateway.core.traffic.TrafficViews.Insights;
import dev.gateway.core.traffic.TrafficViews.RouteTraffic;
import dev.gateway.core.traffic.TrafficViews.Slowest;
import dev.gateway.core.traffic.TrafficViews.TargetTraffic;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent traffic for the dashboard, computed in-process. Two halves:
 *
 * <ul>
 *   <li>{@link #completed}, on the event loops, once per exchange (wired beside the access log):
 *       a map read and a volatile compare per route and target (slow requests), and for errors a
 *       store into a ring of the last {@value #ERRORS_KEPT} and a client tally. No lock, no
 *       blocking, bounded memory.</li>
 *   <li>{@link #sample}, on the admin listener's loop once a second: reads the request and upstream
 *       histograms the gateway keeps for Prometheus and the targets' live state into five-minute
 *       windows, and computes per-route and per-target figures over the last minute and the
 *       {@link Insights}: slowest routes and targets, error spikes, suspicious clients.</li>
 * </ul>
 */
public final class RecentTraffic implements ExchangeObserver {

    static final int ERRORS_KEPT = 100;
    /** Figures are over the last minute. */
    static final int WINDOW = 60;
    /** An error spike compares the last 10 seconds ... */
    static final int SPIKE_WINDOW = 10;
    /** ... with the five minutes before. */
    static final int BASELINE = 300;
    static final double SPIKE_MIN_RATIO = 0.05;
    static final int SPIKE_FACTOR = 3;
    static final int SPIKE_MIN_ERRORS = 3;
    /** A route or target needs this many requests in the window to rank among the slowest. */
    static final int MIN_REQUESTS = 5;
    static final int TOP = 5;
    static final long ROTATE_NANOS = 60_000_000_000L;
    /** Metrics name the requests no route matched {@code none}; the access log and exchanges {@code -}. */
    static final String NO_ROUTE = "none";

    private final MeterRegistry registry;
    private final Ring<ErrorRecord> errors = new Ring<>(ERRORS_KEPT);
    private final ClientTallies clients = new ClientTallies();
    private final ConcurrentHashMap<String, SlowRequests> slowRoutes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SlowRequests> slowTargets = new ConcurrentHashMap<>();
    // admin loop only
    private final Map<String, WindowedSeries> routeSeries = new HashMap<>();
    private final Map<String, WindowedSeries> targetSeries = new HashMap<>();
    private long lastRotation = System.nanoTime();
    private volatile List<RouteTraffic> routes = List.of();
    private volatile Map<String, TargetTraffic> targets = Map.of();
    private volatile Insights insights = Insights.NONE;

    /** @param registry where the gateway's request and upstream histograms are (read, never written) */
    public RecentTraffic(MeterRegistry registry) {
        this.registry = registry;
    }

    // ---- per exchange, on the event loops ---------------------------------------------------------

    @Override
    public void completed(Exchange e) {
        int status = e.status();
        long duration = System.nanoTime() - e.startNanos();
        if (status != 101) { // a WebSocket's duration is its life, not its speed
            slow(slowRoutes, "-".equals(e.route()) ? NO_ROUTE : e.route()).offer(e.requestId(), duration);
            if (e.target() != null) {
                slow(slowTargets, e.target()).offer(e.requestId(), duration);
            }
        }
        if (ErrorReasons.isError(e)) {
            errors.add(new ErrorRecord(System.currentTimeMillis(), e.requestId(),
                    e.trace() == null ? null : e.trace().traceId(), status, e.method(), shortened(e.uri()),
                    e.route(), e.target(), e.clientIp(), ErrorReasons.of(e), Math.round(duration / 10_000.0) / 100.0));
        }
        if (status >= 400 && status < 500 && status != 499) {
            clients.record(e.clientIp(), status, e.requestId(), e.uri());
        }
    }

    private static SlowRequests slow(ConcurrentHashMap<String, SlowRequests> map, String key) {
        SlowRequests slow = map.get(key);
        return slow != null ? slow : map.computeIfAbsent(key, k -> new SlowRequests());
    }

    private static String shortened(String uri) {
        return uri.length() > 200 ? uri.substring(0, 200) + "..." : uri;
    }

    // ---- once a second, on the admin loop --------------------------------------------------------

    /** Takes this second's readings and recomputes every figure; {@code snapshot} says which routes and pools exist. */
    public void sample(RoutingSnapshot snapshot, long nowNanos) {
        List<String> routeNames = sampleRoutes(snapshot, nowNanos);
        Map<String, Pool> pools = snapshot.pools();
        sampleTargets(pools, nowNanos);
        if (nowNanos - lastRotation >= ROTATE_NANOS) {
            clients.rotate();
            lastRotation = nowNanos;
        }

        List<RouteTraffic> routeViews = new ArrayList<>();
        List<Slowest> slowRouteViews = new ArrayList<>();
        List<ErrorSpike> spikes = new ArrayList<>();
        List<ErrorRecord> recentErrors = errors.newestFirst();
        for (String name : routeNames) {
            WindowedSeries s = routeSeries.get(name);
            long requests = s.requests(WINDOW);
            long p50 = s.quantile(0.5, WINDOW);
            long p99 = s.quantile(0.99, WINDOW);
            routeViews.add(new RouteTraffic(name, WindowedSeries.round(s.rate(WINDOW)), requests,
                    requests == 0 ? -1 : WindowedSeries.round(100.0 * s.errors(WINDOW) / requests), p50, p99,
                    s.ratePoints(), s.errorPoints()));
            SlowRequests slow = slowRoutes.computeIfAbsent(name, k -> new SlowRequests());
            slow.threshold(Math.max(0, s.quantile(0.9, WINDOW)));
            if (requests >= MIN_REQUESTS && p99 >= 0) {
                slowRouteViews.add(new Slowest(name, requests, p50, p99, slow.newestFirst()));
            }
            ErrorSpike spike = spike(name, s, recentErrors);
            if (spike != null) {
                spikes.add(spike);
            }
        }
        Map<String, TargetTraffic> targetViews = new LinkedHashMap<>();
        Map<String, Slowest> slowTargetViews = new HashMap<>(); // by URL: a target in several pools is one server
        for (Pool pool : pools.values()) {
            for (Target target : pool.targets()) {
                WindowedSeries s = targetSeries.get(key(pool.name(), target.url()));
                long attempts = s.requests(WINDOW);
                long p99 = s.quantile(0.99, WINDOW);
                targetViews.put(key(pool.name(), target.url()), new TargetTraffic(pool.name(), target.url(),
                        WindowedSeries.round(s.rate(WINDOW)), attempts, s.errors(WINDOW), p99,
                        s.ratePoints(), s.activePoints(), s.latencyPoints()));
                SlowRequests slow = slowTargets.computeIfAbsent(target.url(), k -> new SlowRequests());
                slow.threshold(Math.max(0, s.quantile(0.9, WINDOW)));
                if (attempts >= MIN_REQUESTS && p99 >= 0) {
                    slowTargetViews.merge(target.url(), new Slowest(target.url(), attempts, s.quantile(0.5, WINDOW),
                            p99, slow.newestFirst()), (one, other) -> one.requests() >= other.requests() ? one : other);
                }
            }
        }
        Comparator<Slowest> slowestFirst = Comparator.comparingLong(Slowest::p99Nanos).reversed()
                .thenComparing(Slowest::name);
        slowRouteViews.sort(slowestFirst);
        List<Slowest> slowTargetList = new ArrayList<>(slowTargetViews.values());
        slowTargetList.sort(slowestFirst);
        spikes.sort(Comparator.comparingDouble(ErrorSpike::recentPct).reversed());
        routes = List.copyOf(routeViews);
        targets = targetViews;
        insights = new Insights(top(slowRouteViews), top(slowTargetList), top(spikes), clients.top(TOP),
                clients.untracked());
    }

    /** The routes of the running configuration (and the default site and unmatched requests, once seen). */
    private List<String> sampleRoutes(RoutingSnapshot snapshot, long nowNanos) {
        Map<String, long[]> histograms = new HashMap<>();
        Map<String, Long> serverErrors = new HashMap<>();
        for (Timer timer : registry.find("gateway.request.duration").timers()) {
            String route = timer.getId().getTag("route");
            Histograms.add(histograms.computeIfAbsent(route, r -> Histograms.empty()), timer);
            if ("5xx".equals(timer.getId().getTag("status_class"))) {
                serverErrors.merge(route, timer.count(), Long::sum);
            }
        }
        List<String> names = new ArrayList<>();
        for (RouteConfig route : snapshot.config().routes()) {
            names.add(route.name());
        }
        if (snapshot.defaultSite() != null || histograms.containsKey("static")) {
            names.add("static");
        }
        if (histograms.containsKey(NO_ROUTE)) {
            names.add(NO_ROUTE);
        }
        routeSeries.keySet().retainAll(names);
        slowRoutes.keySet().retainAll(names);
        for (String name : names) {
            long[] histogram = histograms.getOrDefault(name, Histograms.empty());
            routeSeries.computeIfAbsent(name, n -> new WindowedSeries()).add(nowNanos,
                    histogram[histogram.length - 1], serverErrors.getOrDefault(name, 0L), histogram, 0, 0);
        }
        return names;
    }

    private void sampleTargets(Map<String, Pool> pools, long nowNanos) {
        Map<String, long[]> histograms = new HashMap<>();
        for (Timer timer : registry.find("gateway.upstream.duration").timers()) {
            Histograms.add(histograms.computeIfAbsent(key(timer.getId().getTag("pool"), timer.getId().getTag("target")),
                    k -> Histograms.empty()), timer);
        }
        Set<String> keys = new HashSet<>();
        Set<String> urls = new HashSet<>();
        for (Pool pool : pools.values()) {
            for (Target target : pool.targets()) {
                String key = key(pool.name(), target.url());
                keys.add(key);
                urls.add(target.url());
                long latency = target.stats().averageLatencyNanos();
                targetSeries.computeIfAbsent(key, k -> new WindowedSeries()).add(nowNanos,
                        target.stats().attempts(), target.stats().failures(),
                        histograms.getOrDefault(key, Histograms.empty()), target.activeRequests(),
                        WindowedSeries.round(latency / 1e6));
            }
        }
        targetSeries.keySet().retainAll(keys);
        slowTargets.keySet().retainAll(urls);
    }

    /** The route's 5xx share over the last 10 s against the five minutes before, when it jumped. */
    private static ErrorSpike spike(String route, WindowedSeries s, List<ErrorRecord> recentErrors) {
        double recent = s.errorRatio(0, SPIKE_WINDOW);
        long recentErrorCount = s.errors(SPIKE_WINDOW);
        if (recent < SPIKE_MIN_RATIO || recentErrorCount < SPIKE_MIN_ERRORS) {
            return null;
        }
        double baseline = s.errorRatio(SPIKE_WINDOW, BASELINE);
        if (baseline >= 0 && recent < SPIKE_FACTOR * baseline) {
            return null;
        }
        String logged = NO_ROUTE.equals(route) ? "-" : route;
        List<String> ids = new ArrayList<>();
        for (ErrorRecord error : recentErrors) {
            if (error.status() >= 500 && error.route().equals(logged) && ids.size() < 3) {
                ids.add(error.requestId());
            }
        }
        return new ErrorSpike(route, WindowedSeries.round(100 * recent),
                baseline < 0 ? -1 : WindowedSeries.round(100 * baseline), recentErrorCount, ids);
    }

    private static <T> List<T> top(List<T> sorted) {
        return List.copyOf(sorted.size() > TOP ? sorted.subList(0, TOP) : sorted);
    }

    private static String key(String pool, String url) {
        return pool + ' ' + url;
    }

    // ---- what the dashboard reads -------------------------------------------------------------------

    /** Per route, in configuration order, as of the last {@link #sample}. */
    public List<RouteTraffic> routes() {
        return routes;
    }

    /** One target as of the last {@link #sample}, or null when it was not sampled yet. */
    public TargetTraffic target(String pool, String url) {
        return targets.get(key(pool, url));
    }

    public Insights insights() {
        return insights;
    }

    /** The last {@value #ERRORS_KEPT} errors, newest first. */
    public List<ErrorRecord> recentErrors() {
        return errors.newestFirst();
    }
}
