package dev.gateway.core.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.RouteConfig;
import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.core.traffic.ErrorRecord;
import dev.gateway.core.traffic.RecentTraffic;
import dev.gateway.core.traffic.TrafficViews.ErrorSpike;
import dev.gateway.core.traffic.TrafficViews.Insights;
import dev.gateway.core.traffic.TrafficViews.RouteTraffic;
import dev.gateway.core.traffic.TrafficViews.SlowRequest;
import dev.gateway.core.traffic.TrafficViews.Slowest;
import dev.gateway.core.traffic.TrafficViews.SuspiciousClient;
import dev.gateway.core.traffic.TrafficViews.TargetTraffic;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the dashboard receives every second over {@code /ui/events}: what {@code /status} says
 * of the server, its configuration, routes and targets (the same fields, built by
 * {@link StatusReport}), each route and target with its traffic over the last minute, the
 * {@link Insights} and the recent errors. Built once per tick and shared by every open dashboard.
 */
final class LiveReport {

    private LiveReport() {
    }

    static ObjectNode of(ServerState server) {
        RoutingSnapshot snapshot = server.snapshot();
        RecentTraffic traffic = server.traffic();
        Instant now = Instant.now();
        long nanoNow = System.nanoTime();
        ObjectNode root = StatusReport.JSON.createObjectNode();
        root.put("at", now.toString());
        root.put("version", server.version());
        root.put("uptime_seconds", Duration.between(server.startedAt(), now).toSeconds());
        root.put("ready", server.isReady());
        root.put("transport", server.transportName());
        ObjectNode connections = root.putObject("connections");
        connections.put("open", server.openConnections());
        connections.put("websockets", server.openWebSockets());
        root.set("config", StatusReport.config(server.reloadStats()));
        ObjectNode reload = root.putObject("reload");
        reload.put("token_required", server.config().admin().token().isPresent());
        reload.put("allowed", server.config().admin().token().isPresent()
                || server.adminAddress().getAddress().isLoopbackAddress());

        Map<String, RouteConfig> configured = new HashMap<>();
        snapshot.config().routes().forEach(route -> configured.put(route.name(), route));
        ArrayNode routes = root.putArray("routes");
        for (RouteTraffic t : traffic.routes()) {
            RouteConfig config = configured.get(t.name());
            ObjectNode route = config != null ? StatusReport.route(config) : routes.objectNode().put("name", t.name())
                    .put("action", t.name().equals("static") ? "static" : "none");
            ObjectNode live = route.putObject("traffic");
            live.put("rps", t.rps());
            live.put("requests", t.requests());
            putPositive(live, "error_pct", t.errorPct());
            putMillis(live, "p50_ms", t.p50Nanos());
            putMillis(live, "p99_ms", t.p99Nanos());
            points(live.putArray("rps_points"), t.rpsPoints());
            points(live.putArray("error_points"), t.errorPoints());
            routes.add(route);
        }

        ArrayNode pools = root.putArray("pools");
        for (Pool pool : snapshot.pools().values()) {
            ObjectNode node = StatusReport.pool(pool, now, nanoNow);
            List<Target> targets = pool.targets();
            JsonNode targetNodes = node.get("targets");
            for (int i = 0; i < targets.size(); i++) {
                TargetTraffic t = traffic.target(pool.name(), targets.get(i).url());
                if (t != null) {
                    ObjectNode live = ((ObjectNode) targetNodes.get(i)).putObject("traffic");
                    live.put("rps", t.rps());
                    live.put("attempts", t.attempts());
                    live.put("failures", t.failures());
                    putMillis(live, "p99_ms", t.p99Nanos());
                    points(live.putArray("rps_points"), t.rpsPoints());
                    points(live.putArray("active_points"), t.activePoints());
                    points(live.putArray("latency_points"), t.latencyPoints());
                }
            }
            pools.add(node);
        }
        root.set("insights", insights(traffic.insights()));
        ArrayNode errors = root.putArray("recent_errors");
        for (ErrorRecord e : traffic.recentErrors()) {
            ObjectNode error = errors.addObject();
            error.put("at", Instant.ofEpochMilli(e.epochMillis()).toString());
            error.put("request_id", e.requestId());
            error.put("trace_id", e.traceId());
            error.put("status", e.status());
            error.put("method", e.method());
            error.put("path", e.path());
            error.put("route", e.route());
            error.put("target", e.target());
            error.put("client_ip", e.clientIp());
            error.put("reason", e.reason());
            error.put("duration_ms", e.durationMs());
        }
        return root;
    }

    private static ObjectNode insights(Insights insights) {
        ObjectNode node = StatusReport.JSON.createObjectNode();
        slowest(node.putArray("slow_routes"), insights.slowRoutes());
        slowest(node.putArray("slow_targets"), insights.slowTargets());
        ArrayNode spikes = node.putArray("error_spikes");
        for (ErrorSpike spike : insights.errorSpikes()) {
            ObjectNode s = spikes.addObject();
            s.put("route", spike.route());
            s.put("recent_pct", spike.recentPct());
            putPositive(s, "baseline_pct", spike.baselinePct());
            s.put("recent_errors", spike.recentErrors());
            spike.requestIds().forEach(s.putArray("request_ids")::add);
        }
        ArrayNode clients = node.putArray("clients");
        for (SuspiciousClient client : insights.clients()) {
            ObjectNode c = clients.addObject();
            c.put("client_ip", client.clientIp());
            c.put("client_errors", client.clientErrors());
            c.put("rate_limited", client.rateLimited());
            c.put("last_path", client.lastPath());
            client.requestIds().forEach(c.putArray("request_ids")::add);
        }
        node.put("untracked_clients", insights.untrackedClients());
        return node;
    }

    private static void slowest(ArrayNode into, List<Slowest> list) {
        for (Slowest slow : list) {
            ObjectNode s = into.addObject();
            s.put("name", slow.name());
            s.put("requests", slow.requests());
            putMillis(s, "p50_ms", slow.p50Nanos());
            putMillis(s, "p99_ms", slow.p99Nanos());
            ArrayNode examples = s.putArray("examples");
            for (SlowRequest example : slow.examples()) {
                examples.addObject().put("request_id", example.requestId()).put("duration_ms", example.durationMs());
            }
        }
    }

    /** Milliseconds with two decimals, or null for "no value" (-1). */
    private static void putMillis(ObjectNode node, String name, long nanos) {
        if (nanos < 0) {
            node.putNull(name);
        } else {
            node.put(name, Math.round(nanos / 10_000.0) / 100.0);
        }
    }

    private static void putPositive(ObjectNode node, String name, double value) {
        if (value < 0) {
            node.putNull(name);
        } else {
            node.put(name, value);
        }
    }

    private static void points(ArrayNode into, double[] values) {
        for (double v : values) {
            into.add(v);
        }
    }
}
