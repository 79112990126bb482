package dev.gateway.core;

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
 * Route lookup over a table of 100 routes (33 services, each with an exact, a :param and a prefix
 * route, plus /health), for one path of each kind and a miss. Parsing the request target is a
 * separate benchmark so its cost is not hidden in the match. Run by scripts/microbench.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteLookupBenchmark {

    private static final int SERVICES = 33;

    @Param({"exact", "param", "prefix", "miss"})
    public String kind;

    private RouteTable table;
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
        table = new RouteTable(routes);
        uri = switch (kind) {
            case "exact" -> "/svc17/users/me";
            case "param" -> "/svc17/users/42";
            case "prefix" -> "/svc17/static/css/site.css";
            case "miss" -> "/nowhere/at/all";
            default -> throw new IllegalArgumentException("kind: " + kind + " (expected: exact, param, prefix, miss)");
        };
        path = RequestPath.parse(uri);
        RouteMatch match = table.match("example.com", path, "GET");
        if (match.isFound() != !kind.equals("miss")) {
            throw new IllegalStateException("kind " + kind + ": " + uri + " matched " + match.isFound());
        }
    }

    private static Route route(String name, String path) {
        return new Route(new RouteConfig(name, path, Optional.empty(), Set.of(), new RouteAction.Redirect("/", 302),
                false, Optional.empty(), true, Duration.ofSeconds(30), 1, false, Duration.ofHours(1), HeaderRules.NONE,
                HeaderRules.NONE, Optional.empty()), null, null, null);
    }

    @Benchmark
    public RequestPath parse() {
        return RequestPath.parse(uri);
    }

    @Benchmark
    public RouteMatch match() {
        return table.match("example.com", path, "GET");
    }

    @Benchmark
    public RouteMatch parseAndMatch() {
        return table.match("example.com", RequestPath.parse(uri), "GET");
    }
}
