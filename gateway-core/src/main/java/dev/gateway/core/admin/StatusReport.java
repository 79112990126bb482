package dev.gateway.core.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.balancer.CircuitBreaker;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Target;
import dev.gateway.balancer.targets.TargetHealth;
import dev.gateway.config.ConfigProblem;
import dev.gateway.config.HostPort;
import dev.gateway.config.RouteAction;
import dev.gateway.config.RouteConfig;
import dev.gateway.core.acme.AcmeDomainStatus;
import dev.gateway.core.acme.AcmeManager;
import dev.gateway.core.reload.ReloadOutcome;
import dev.gateway.core.reload.ReloadStats;
import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.core.tls.CertificateStatus;
import dev.gateway.core.tls.ServerTls;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The JSON of {@code GET /status} on the admin listener: what is running (version, uptime,
 * configuration source, hash and load time, reload counts), the routes, and per pool and target
 * the live state: health (with active checks: why, since when, and the last check), breaker (and
 * until when it stays open), active requests, recent latency and attempt counts. Built from the
 * current snapshot; field names are snake_case like the config.
 */
final class StatusReport {

    static final ObjectMapper JSON = new ObjectMapper();

    private StatusReport() {
    }

    static ObjectNode of(ServerState server) {
        RoutingSnapshot snapshot = server.snapshot();
        Instant now = Instant.now();
        ObjectNode root = JSON.createObjectNode();
        root.put("version", server.version());
        root.put("started_at", server.startedAt().toString());
        root.put("uptime_seconds", Duration.between(server.startedAt(), now).toSeconds());
        root.put("ready", server.isReady());
        root.put("listen", address(server.mainAddress()));
        root.put("admin", address(server.adminAddress()));
        root.put("transport", server.transportName());
        root.put("open_connections", server.openConnections());
        root.set("config", config(server.reloadStats()));
        if (server.tls() != null) {
            root.set("tls", tls(server.tls(), now));
        }
        if (server.acme() != null) {
            root.set("acme", acme(server.acme()));
        }
        ArrayNode routes = root.putArray("routes");
        snapshot.config().routes().forEach(route -> routes.add(route(route)));
        ArrayNode pools = root.putArray("pools");
        long nanoNow = System.nanoTime();
        snapshot.pools().values().forEach(pool -> pools.add(pool(pool, now, nanoNow)));
        return root;
    }

    private static String address(InetSocketAddress address) {
        return new HostPort(address.getAddress().getHostAddress(), address.getPort()).toString();
    }

    static ObjectNode config(ReloadStats stats) {
        ObjectNode config = JSON.createObjectNode();
        config.put("source", stats.source().toString());
        config.put("sha256", stats.loaded().sha256());
        config.put("loaded_at", stats.loaded().at().toString());
        config.put("reloads_succeeded", stats.succeeded());
        config.put("reloads_failed", stats.failed());
        ReloadOutcome failure = stats.lastFailure();
        if (failure == null) {
            config.putNull("last_failure");
        } else {
            ObjectNode last = config.putObject("last_failure");
            last.put("at", failure.at().toString());
            last.put("sha256", failure.sha256());
            last.set("problems", problems(failure));
        }
        return config;
    }

    /**
     * {@code {"engine":"openssl (BoringSSL)","alpn":["http/1.1"],"certificates":[{"source":"server.tls",
     * "name":"example.com","not_after":"...","expires_in_seconds":...,"default":true,"last_error":null,...}],
     * "loaded":3,"refused":1}}
     */
    private static ObjectNode tls(ServerTls tls, Instant now) {
        ObjectNode node = JSON.createObjectNode();
        node.put("engine", tls.engine());
        ArrayNode alpn = node.putArray("alpn");
        tls.alpn().forEach(alpn::add);
        ArrayNode certificates = node.putArray("certificates");
        for (CertificateStatus status : tls.certificates()) {
            ObjectNode c = certificates.addObject();
            c.put("source", status.source());
            c.put("name", status.name());
            ArrayNode names = c.putArray("names");
            status.names().forEach(names::add);
            c.put("default", status.isDefault());
            c.put("issuer", status.issuer());
            c.put("not_before", status.notBefore() == null ? null : status.notBefore().toString());
            c.put("not_after", status.notAfter() == null ? null : status.notAfter().toString());
            if (status.notAfter() == null) {
                c.putNull("expires_in_seconds");
            } else {
                c.put("expires_in_seconds", Duration.between(now, status.notAfter()).toSeconds());
            }
            c.put("loaded_at", status.loadedAt() == null ? null : status.loadedAt().toString());
            c.put("last_error", status.lastError());
            c.put("last_error_at", status.lastErrorAt() == null ? null : status.lastErrorAt().toString());
        }
        node.put("loaded", tls.loadedCount());
        node.put("refused", tls.refusedCount());
        return node;
    }

    /** {@code {"domains":[{"domain":"example.com","state":"valid","not_after":"...","renew_at":"...",...}]}} */
    private static ObjectNode acme(AcmeManager acme) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode domains = node.putArray("domains");
        for (AcmeDomainStatus status : acme.domains()) {
            ObjectNode d = domains.addObject();
            d.put("domain", status.domain());
            d.put("state", status.state());
            d.put("not_after", text(status.notAfter()));
            d.put("renew_at", text(status.renewAt()));
            d.put("last_attempt", text(status.lastAttempt()));
            d.put("last_error", status.lastError());
            d.put("failures", status.failures());
            d.put("next_attempt", text(status.nextAttempt()));
        }
        return node;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    /** {@code [{"key":"routes[0].path","line":3,"message":"..."}]} */
    static ArrayNode problems(ReloadOutcome outcome) {
        ArrayNode problems = JSON.createArrayNode();
        for (ConfigProblem problem : outcome.problems()) {
            ObjectNode node = problems.addObject();
            node.put("key", problem.keyPath());
            if (problem.line().isPresent()) {
                node.put("line", problem.line().getAsInt());
            } else {
                node.putNull("line");
            }
            node.put("message", problem.message());
        }
        return problems;
    }

    static ObjectNode route(RouteConfig route) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", route.name());
        node.put("path", route.path());
        node.put("host", route.host().orElse(null));
        ArrayNode methods = node.putArray("methods");
        route.methods().stream().sorted().forEach(methods::add);
        RouteAction action = route.action();
        if (action instanceof RouteAction.Proxy) {
            node.put("action", "proxy");
            node.put("upstream", ((RouteAction.Proxy) action).upstream());
        } else if (action instanceof RouteAction.Static) {
            node.put("action", "static");
            node.put("root", ((RouteAction.Static) action).site().root().toString());
        } else if (action instanceof RouteAction.Redirect) {
            node.put("action", "redirect");
            node.put("location", ((RouteAction.Redirect) action).location());
            node.put("status", ((RouteAction.Redirect) action).status());
        }
        return node;
    }

    static ObjectNode pool(Pool pool, Instant now, long nanoNow) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", pool.name());
        node.put("strategy", lower(pool.config().strategy()));
        node.put("health_check", pool.config().healthCheck().map(check -> lower(check.type())).orElse(null));
        node.put("all_unhealthy", lower(pool.config().allUnhealthy()));
        ArrayNode targets = node.putArray("targets");
        for (Target target : pool.targets()) {
            ObjectNode t = targets.addObject();
            t.put("url", target.url());
            t.put("weight", target.config().weight());
            t.put("healthy", target.isHealthy());
            if (pool.config().healthCheck().isPresent()) {
                t.set("health", health(target.health()));
            }
            CircuitBreaker breaker = pool.breaker(target);
            CircuitBreaker.State state = breaker.state();
            ObjectNode b = t.putObject("breaker");
            b.put("state", lower(state));
            if (state == CircuitBreaker.State.OPEN) {
                long remaining = Math.max(0, breaker.openUntilNanos() - nanoNow);
                b.put("open_until", now.plusNanos(remaining).toString());
                b.put("open_for_ms", remaining / 1_000_000);
            }
            t.put("active_requests", target.activeRequests());
            long latency = target.stats().averageLatencyNanos();
            if (latency == 0) {
                t.putNull("latency_ms");
            } else {
                t.put("latency_ms", Math.round(latency / 1_000.0) / 1_000.0);
            }
            t.put("attempts", target.stats().attempts());
            t.put("failures", target.stats().failures());
        }
        return node;
    }

    /** {@code {"reason":"3 failed checks (last: connect refused)","since":"...","last_check":{...}}} */
    private static ObjectNode health(TargetHealth health) {
        ObjectNode node = JSON.createObjectNode();
        node.put("reason", health.reason());
        node.put("since", health.since().toString());
        if (health.lastCheck() == null) {
            node.putNull("last_check");
        } else {
            ObjectNode check = node.putObject("last_check");
            check.put("passed", health.lastCheck().passed());
            check.put("reason", health.lastCheck().reason());
            check.put("at", health.lastCheckAt().toString());
        }
        return node;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
