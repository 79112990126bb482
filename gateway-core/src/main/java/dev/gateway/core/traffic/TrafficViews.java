package dev.gateway.core.traffic;

import java.util.List;

/** What the dashboard reads of recent traffic: plain values, computed once a second by {@link RecentTraffic#sample}. */
public final class TrafficViews {

    private TrafficViews() {
    }

    /**
     * One route over the last minute.
     *
     * @param name the route's name; {@code static} for the default site, {@code none} for unmatched requests
     * @param errorPct share of 5xx answers in percent, -1 without requests
     * @param p50Nanos median latency, -1 without requests
     * @param rpsPoints requests in each of the last 60 seconds, oldest first
     */
    public record RouteTraffic(String name, double rps, long requests, double errorPct, long p50Nanos, long p99Nanos,
                               double[] rpsPoints, double[] errorPoints) {
    }

    /**
     * One target of one pool over the last minute: attempts per second, failures (no usable
     * response), p99 of attempts with a response, and per-second points of attempts, active
     * requests and recent latency.
     */
    public record TargetTraffic(String pool, String url, double rps, long attempts, long failures, long p99Nanos,
                                double[] rpsPoints, double[] activePoints, double[] latencyPoints) {
    }

    /** A slow route or target: its latency over the last minute and a few of its slowest recent requests. */
    public record Slowest(String name, long requests, long p50Nanos, long p99Nanos, List<SlowRequest> examples) {
    }

    /** A request that took at least its route's (or target's) 90th percentile. */
    public record SlowRequest(String requestId, double durationMs) {
    }

    /**
     * A route whose 5xx share over the last 10 seconds jumped: at least 5% and three times its share
     * over the five minutes before.
     *
     * @param baselinePct -1 when there were no requests before
     */
    public record ErrorSpike(String route, double recentPct, double baselinePct, long recentErrors,
                             List<String> requestIds) {
    }

    /** A client with many 4xx (429 among them) over the last one to two minutes. */
    public record SuspiciousClient(String clientIp, int clientErrors, int rateLimited, String lastPath,
                                   List<String> requestIds) {
    }

    /** Everything the Insights panel shows. */
    public record Insights(List<Slowest> slowRoutes, List<Slowest> slowTargets, List<ErrorSpike> errorSpikes,
                           List<SuspiciousClient> clients, long untrackedClients) {

        static final Insights NONE = new Insights(List.of(), List.of(), List.of(), List.of(), 0);
    }
}
