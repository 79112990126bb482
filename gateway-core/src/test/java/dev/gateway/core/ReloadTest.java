package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gateway.balancer.CircuitBreaker;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.ConfigProblem;
import dev.gateway.core.reload.ReloadOutcome;
import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.testkit.Eventually;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;

/**
 * Reload without downtime: under steady traffic, reloads that change routes and targets lose no
 * request; unchanged pools keep their state and connections; an invalid file changes nothing;
 * SIGHUP and the file watch reload through the same path.
 */
class ReloadTest {

    private static final int CLIENTS = 4;
    private static final int IO_THREADS = 2;
    private static final String SERVER_KEYS = "io_threads = " + IO_THREADS;

    @TempDir
    Path dir;

    /** Round {@code round} of the zero-loss test: the api route is renamed, its targets rotate, /extra comes and goes. */
    private static String rotatingConfig(int round, TestBackend[] api, TestBackend stable) {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < api.length; i++) {
            if (i != round % api.length) {
                targets.add(api[i].url());
            }
        }
        StringBuilder toml = new StringBuilder()
                .append("[[routes]]\nname = \"api-").append(round).append("\"\npath = \"/api/*\"\nupstream = \"api\"\nretries = 0\n")
                .append("[[routes]]\npath = \"/stable/*\"\nupstream = \"stable\"\nretries = 0\n");
        if (round % 2 == 1) {
            toml.append("[[routes]]\nname = \"extra\"\npath = \"/extra/*\"\ntargets = [\"").append(api[0].url()).append("\"]\n");
        }
        return toml.append("[upstreams.api]\ntargets = [\"").append(String.join("\", \"", targets)).append("\"]\n")
                .append("[upstreams.stable]\ntargets = [\"").append(stable.url()).append("\"]\n")
                .toString();
    }

    @Test
    void twentyReloadsUnderSteadyTrafficLoseNoRequest() throws Exception {
        TestBackend[] api = {TestBackend.start(() -> BackendHandlers.ok("a")),
                TestBackend.start(() -> BackendHandlers.ok("b")), TestBackend.start(() -> BackendHandlers.ok("c"))};
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try (TestBackend stable = TestBackend.start(() -> BackendHandlers.ok("s"));
             GatewayFixture gateway = GatewayFixture.start(dir, SERVER_KEYS, rotatingConfig(0, api, stable))) {
            Pool stablePool = gateway.server.pools().get("stable");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong completed = new AtomicLong();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.execute(() -> {
                    for (int n = 0; running.get(); n++) {
                        String outcome = exchange(http, gateway, client, n);
                        if (outcome != null) {
                            failures.add(outcome);
                        }
                        completed.incrementAndGet();
                    }
                });
            }
            for (int round = 1; round <= 20; round++) {
                long before = completed.get();
                Eventually.await("traffic between reloads", () -> completed.get() >= before + 50);
                gateway.rewriteConfig(SERVER_KEYS, rotatingConfig(round, api, stable));
                ReloadOutcome outcome = gateway.reload();
                assertThat(outcome.problems()).isEmpty();
                assertThat(outcome.needsRestart()).isEmpty();
                assertThat(gateway.server.pools().get("stable")).as("unchanged pool kept").isSameAs(stablePool);
                assertThat(gateway.server.pools().get("api").targets()).extracting(Target::url)
                        .doesNotContain(api[round % api.length].url()).hasSize(2);
                assertThat(gateway.get("/extra/x").statusCode()).isEqualTo(round % 2 == 1 ? 200 : 404);
            }
            long before = completed.get();
            Eventually.await("traffic after the last reload", () -> completed.get() >= before + 50);
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            assertThat(failures).as("failed requests out of " + completed.get()).isEmpty();
            assertThat(gateway.server.reloadStats().succeeded()).isEqualTo(20);
            // Pooled connections to the kept pool survived every reload: at most one per concurrent request per loop.
            assertThat(stable.connections.get()).isLessThanOrEqualTo(CLIENTS * IO_THREADS);
            // The target the last round dropped has no pooled connection left.
            TestBackend dropped = api[20 % api.length];
            Eventually.await("idle connections to the dropped target closed", () -> dropped.open.isEmpty());
        } finally {
            clients.shutdownNow();
            for (TestBackend backend : api) {
                backend.close();
            }
        }
    }

    /** One request of the steady stream (GET or POST to the api, GET to the stable pool); null when it went right. */
    private static String exchange(HttpClient http, GatewayFixture gateway, int client, int n) {
        HttpRequest request;
        Set<String> expected;
        switch (n % 3) {
            case 0:
                request = HttpRequest.newBuilder(gateway.uri("/api/get/" + client + "/" + n)).build();
                expected = Set.of("a", "b", "c");
                break;
            case 1:
                request = HttpRequest.newBuilder(gateway.uri("/api/post/" + client + "/" + n))
                        .POST(HttpRequest.BodyPublishers.ofString("payload " + client + " " + n)).build();
                expected = Set.of("a", "b", "c");
                break;
            default:
                request = HttpRequest.newBuilder(gateway.uri("/stable/" + client + "/" + n)).build();
                expected = Set.of("s");
        }
        try {
            HttpResponse<String> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .get(60, TimeUnit.SECONDS);
            if (response.statusCode() != 200 || !expected.contains(response.body())) {
                return request.method() + " " + request.uri() + " -> " + response.statusCode() + " " + response.body();
            }
            return null;
        } catch (Exception e) {
            return request.method() + " " + request.uri() + " -> " + e;
        }
    }

    @Test
    void keptPoolKeepsItsBreakerStateAndAChangedPoolStartsFresh() throws Exception {
        int dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        try (TestBackend other = TestBackend.start(() -> BackendHandlers.ok("other"));
             GatewayFixture gateway = GatewayFixture.start(dir, flaky(dead, other, "other", "2s"))) {
            assertThat(gateway.get("/flaky/x").statusCode()).isEqualTo(502);
            Pool pool = gateway.server.pools().get("flaky");
            CircuitBreaker breaker = pool.breaker(pool.targets().get(0));
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

            gateway.rewriteConfig("", flaky(dead, other, "renamed", "2s"));
            assertThat(gateway.reload().applied()).isTrue();
            assertThat(gateway.server.pools().get("flaky")).isSameAs(pool);
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(gateway.get("/flaky/x").statusCode()).as("still ejected: no target").isEqualTo(503);
            assertThat(gateway.get("/other/x").body()).isEqualTo("other");

            gateway.rewriteConfig("", flaky(dead, other, "renamed", "3s"));
            assertThat(gateway.reload().applied()).isTrue();
            Pool replaced = gateway.server.pools().get("flaky");
            assertThat(replaced).isNotSameAs(pool);
            assertThat(pool.isRetired()).isTrue();
            assertThat(replaced.breaker(replaced.targets().get(0)).state()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(gateway.get("/flaky/x").statusCode()).as("tried again").isEqualTo(502);
        }
    }

    private static String flaky(int deadPort, TestBackend other, String otherName, String connectTimeout) {
        return "[[routes]]\npath = \"/flaky/*\"\nupstream = \"flaky\"\nretries = 0\n"
                + "[[routes]]\nname = \"" + otherName + "\"\npath = \"/other/*\"\ntargets = [\"" + other.url() + "\"]\n"
                + "[upstreams.flaky]\ntargets = [\"http://127.0.0.1:" + deadPort + "\"]\nconnect_timeout = \""
                + connectTimeout + "\"\n"
                + "[upstreams.flaky.circuit_breaker]\nconsecutive_failures = 1\nopen_duration = \"1h\"\n"
                + "max_open_duration = \"1h\"\nmax_ejected_percent = 100\n";
    }

    @Test
    void keptPoolKeepsItsHealthAndRemovedPoolIsNoLongerChecked() throws Exception {
        AtomicInteger sickChecks = new AtomicInteger();
        AtomicInteger fineChecks = new AtomicInteger();
        try (TestBackend sick = TestBackend.start(() -> health(sickChecks, HttpResponseStatus.INTERNAL_SERVER_ERROR));
             TestBackend fine = TestBackend.start(() -> health(fineChecks, HttpResponseStatus.OK));
             GatewayFixture gateway = GatewayFixture.start(dir, checked(sick, fine, true, "one"))) {
            Target sickTarget = gateway.server.pools().get("sick").targets().get(0);
            Eventually.await("sick target marked unhealthy", () -> !sickTarget.isHealthy());

            gateway.rewriteConfig("", checked(sick, fine, true, "two"));
            assertThat(gateway.reload().applied()).isTrue();
            assertThat(gateway.server.pools().get("sick").targets().get(0)).isSameAs(sickTarget);
            assertThat(sickTarget.isHealthy()).as("health survives the reload").isFalse();
            int seen = sickChecks.get();
            Eventually.await("kept pool still checked", () -> sickChecks.get() > seen + 2);

            gateway.rewriteConfig("", checked(sick, fine, false, "two"));
            assertThat(gateway.reload().applied()).isTrue();
            assertThat(gateway.server.pools()).doesNotContainKey("sick");
            int atRemoval = sickChecks.get();
            int fineAtRemoval = fineChecks.get();
            Eventually.await("other pool checked several more times", () -> fineChecks.get() > fineAtRemoval + 5);
            assertThat(sickChecks.get()).as("removed pool's checker stopped (one check may have been in flight)")
                    .isLessThanOrEqualTo(atRemoval + 1);
        }
    }

    private static io.netty.channel.ChannelHandler health(AtomicInteger checks, HttpResponseStatus status) {
        return BackendHandlers.aggregating((ctx, request) -> {
            checks.incrementAndGet();
            ctx.writeAndFlush(BackendHandlers.text(status, "health"));
        });
    }

    private static String checked(TestBackend sick, TestBackend fine, boolean withSick, String routeName) {
        String check = "interval = \"50ms\"\ntimeout = \"50ms\"\nunhealthy_threshold = 1\nhealthy_threshold = 100\n";
        String toml = "[[routes]]\nname = \"" + routeName + "\"\npath = \"/fine/*\"\nupstream = \"fine\"\n"
                + "[upstreams.fine]\ntargets = [\"" + fine.url() + "\"]\n[upstreams.fine.health_check]\n" + check;
        if (withSick) {
            toml += "[[routes]]\npath = \"/sick/*\"\nupstream = \"sick\"\n"
                    + "[upstreams.sick]\ntargets = [\"" + sick.url() + "\"]\n[upstreams.sick.health_check]\n" + check;
        }
        return toml;
    }

    /** A route forwarding {@code path} to {@code backend}. */
    private static String route(String path, TestBackend backend) {
        return "[[routes]]\npath = \"" + path + "\"\ntargets = [\"" + backend.url() + "\"]\n";
    }

    @Test
    void invalidFileChangesNothingAndReportsEveryProblem() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("up"));
             GatewayFixture gateway = GatewayFixture.start(dir, route("/api/*", backend))) {
            RoutingSnapshot before = gateway.server.snapshot();
            String loadedHash = gateway.server.reloadStats().loaded().sha256();
            gateway.rewriteConfig("max_body_sise = 1\nidle_timeout = \"soon\"", "[[routes]]\npath = \"/other/*\"\n");

            ReloadOutcome outcome = gateway.reload();

            assertThat(outcome.applied()).isFalse();
            assertThat(outcome.problems()).extracting(ConfigProblem::keyPath)
                    .contains("server.max_body_sise", "server.idle_timeout")
                    .anyMatch(key -> key.startsWith("routes[0]"));
            assertThat(gateway.server.snapshot()).isSameAs(before);
            assertThat(gateway.server.reloadStats().failed()).isEqualTo(1);
            assertThat(gateway.server.reloadStats().succeeded()).isZero();
            assertThat(gateway.server.reloadStats().loaded().sha256()).isEqualTo(loadedHash);
            assertThat(gateway.get("/api/x").body()).isEqualTo("up");
            assertThat(gateway.get("/other/x").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void restartOnlySettingsAreKeptAndTheRestApplies() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("up"));
             GatewayFixture gateway = GatewayFixture.start(dir, route("/a/*", backend))) {
            int port = gateway.port();
            gateway.rewriteConfig("max_connections = 5\nmax_body_size = 3",
                    route("/b/*", backend));
            ReloadOutcome outcome = gateway.reload();
            assertThat(outcome.applied()).isTrue();
            assertThat(outcome.needsRestart()).singleElement().asString()
                    .startsWith("server.max_connections changed (10000 -> 5), needs a restart; keeping 10000");
            assertThat(gateway.server.config().server().maxConnections()).isEqualTo(10000);
            assertThat(gateway.server.config().server().maxBodySize()).isEqualTo(3);
            assertThat(gateway.port()).isEqualTo(port);
            assertThat(gateway.get("/b/x").body()).isEqualTo("up");
            assertThat(gateway.get("/a/x").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void unchangedTrustedProxiesNeedNoRestart() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("up"));
             GatewayFixture gateway = GatewayFixture.start(dir, "trusted_proxies = [\"10.0.0.0/8\", \"fd00::/8\"]",
                     route("/a/*", backend))) {
            gateway.rewriteConfig("trusted_proxies = [\"10.0.0.0/8\", \"fd00::/8\"]", route("/b/*", backend));
            ReloadOutcome outcome = gateway.reload();
            assertThat(outcome.applied()).isTrue();
            assertThat(outcome.needsRestart()).isEmpty();
        }
    }

    @Test
    void sighupReloads() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("up"));
             GatewayFixture gateway = GatewayFixture.start(dir, route("/a/*", backend))) {
            Main.reloadOnSighup(gateway.server);
            gateway.rewriteConfig("", route("/b/*", backend));
            Signal hup;
            try {
                hup = new Signal("HUP");
            } catch (IllegalArgumentException e) {
                assumeTrue(false, "no SIGHUP on this platform");
                return;
            }
            Signal.raise(hup);
            Eventually.await("reloaded by SIGHUP", () -> gateway.server.reloadStats().succeeded() == 1);
            assertThat(gateway.get("/b/x").body()).isEqualTo("up");
        }
    }

    @Test
    void watchConfigReloadsWhenTheFileIsReplacedOrRewritten() throws Exception {
        String watch = "watch_config = true";
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("up"));
             GatewayFixture gateway = GatewayFixture.start(dir, watch, route("/a/*", backend))) {
            // Replaced by rename, as editors and ConfigMap updates do.
            gateway.rewriteConfig(watch, route("/b/*", backend));
            Eventually.await("reloaded after rename", () -> gateway.server.reloadStats().succeeded() == 1);
            assertThat(gateway.get("/b/x").body()).isEqualTo("up");

            // Rewritten in place.
            Path file = dir.resolve("app_config.toml");
            Files.writeString(file, Files.readString(file).replace("/b/*", "/c/*"));
            Eventually.await("reloaded after rewrite", () -> gateway.server.reloadStats().succeeded() == 2);
            assertThat(gateway.get("/c/x").body()).isEqualTo("up");

            // Writing the same content is no change: only the edit after it reloads.
            Files.writeString(file, Files.readString(file));
            Files.writeString(file, Files.readString(file).replace("/c/*", "/d/*"));
            Eventually.await("reloaded once more", () -> gateway.server.reloadStats().succeeded() >= 3);
            assertThat(gateway.server.reloadStats().succeeded()).isEqualTo(3);
        }
    }
}
