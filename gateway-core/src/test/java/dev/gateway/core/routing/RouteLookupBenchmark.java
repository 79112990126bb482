package dev.gateway.core.routing;

import dev.gateway.config.HeaderRules;
import dev.gateway.config.RouteAction;
import dev.gateway.config.RouteConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Route lookup over a table of 100 host-less routes (33 services, each with an exact, a :param and
 * a prefix route, plus /health) and 21 host-specific ones (10 exact hosts and a wildcard), for one
 * path of each kind and a miss. {@code host} is a route for the exact host {@code h7.example.com},
 * asked for with a port and mixed case. Parsing the request target and matching are measured apart
 * and together ({@code parseAndMatch}, what a request pays). Run by scripts/microbench.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteLookupBenchmark {

    private static final int SERVICES = 33;

    private static final int HOSTS = 10;

    @Param({"exact", "param", "prefix", "host", "miss"})
    public String kind;

    private RouteTable table;
    private String host;
    private String uri;
    private RequestPath path;

    @Setup
    public void setUp() {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
            routes.add(route("exact" + i, "/svc" + i + "/users/me"));
            routes.add(route("param" + i, "/svc" + i + "/users/:id"));
            routes.add(route("prefix" + i, "/svc" + i + "/static/*"));
        }
        routes.add(route("health", "/health"));
        for (int i = 0; i < HOSTS; i++) {
            routes.add(route("api" + i, "/api/*", "h" + i + ".example.com"));
            routes.add(route("order" + i, "/api/orders/:id", "h" + i + ".example.com"));
        }
        routes.add(route("assets", "/assets/*", "*.example.com"));
        table = new RouteTable(routes);
        host = kind.equals("host") ? "H7.example.com:8443" : "example.com";
        uri = switch (kind) {
            case "exact" -> "/svc17/users/me";
            case "param" -> "/svc17/users/42";
            case "prefix" -> "/svc17/static/css/site.css";
            case "host" -> "/api/orders/17";
            case "miss" -> "/nowhere/at/all";
            default -> throw new IllegalArgumentException("kind: " + kind + " (expected: exact, param, prefix, host, miss)");
        };
        path = RequestPath.parse(uri);
        RouteMatch match = table.match(host, path, "GET");
        if (match.isFound() != !kind.equals("miss")) {
            throw new IllegalStateException("kind " + kind + ": " + uri + " matched " + match.isFound());
        }
    }

    private static Route route(String name, String path) {
        return route(name, path, null);
    }

    private static Route route(String name, String path, String host) {
        return new Route(new RouteConfig(name, path, Optional.ofNullable(host), Set.of(), new RouteAction.Redirect("/", 302),
                false, Optional.empty(), true, Duration.ofSeconds(30), 1, false, Duration.ofHours(1), HeaderRules.NONE,
                HeaderRules.NONE, Optional.empty()), null, null, null);
    }

    @Benchmark
    public RequestPath parse() {
        return RequestPath.parse(uri);
    }

    @Benchmark
    public RouteMatch match() {
        return table.match(host, path, "GET");
    }

    @Benchmark
    public RouteMatch parseAndMatch() {
        return table.match(host, RequestPath.parse(uri), "GET");
    }
}
