package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.testkit.Eventually;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/observability against the real tools: {@code promtool} checks and unit-tests the alert
 * rules, and a real Prometheus scrapes a gateway that carries traffic (good answers, 5xx, retries
 * around a dead target) and must return series for every query of the Grafana dashboard, and load
 * the rules. Skipped, with the reason, where Prometheus is not installed ({@code .ci/run} installs
 * Debian's {@code prometheus}, which has both programs).
 */
class PrometheusDashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private static Path tool(String name) {
        Optional<Path> found = ExternalTools.find(name);
        assumeTrue(found.isPresent(), name + " is not installed (Debian package prometheus; .ci/run installs it)");
        return found.get();
    }

    private static String run(Path workDir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
        Path promtool = tool("promtool");
        Path docs = ExternalTools.repository().resolve("docs/observability");
        assertThat(run(docs, promtool.toString(), "check", "rules", "alerts.yml")).contains("SUCCESS: 7 rules found");
        assertThat(run(docs, promtool.toString(), "test", "rules", "alerts-test.yml")).contains("SUCCESS");
    }

    @Test
    void everyDashboardQueryReturnsSeriesFromARealPrometheusScrapingAGateway() throws Exception {
        Path prometheus = tool("prometheus");
        Path docs = ExternalTools.repository().resolve("docs/observability");
        try (TestBackend good = TestBackend.start(() -> BackendHandlers.ok("ok"));
             TestBackend failing = TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) ->
                     ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "broken"))));
             GatewayFixture gateway = GatewayFixture.start(dir, ""
                     + "[[routes]]\nname = \"api\"\npath = \"/api/*\"\nupstream = \"api\"\n"
                     + "[[routes]]\nname = \"broken\"\npath = \"/broken/*\"\ntargets = [\"" + failing.url() + "\"]\n"
                     + "[upstreams.api]\ntargets = [\"" + good.url() + "\", \"http://127.0.0.1:1\"]\n")) {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, String.join("\n",
                    "global: {scrape_interval: 1s, evaluation_interval: 1s}",
                    "rule_files: ['" + docs.resolve("alerts.yml") + "']",
                    "scrape_configs:",
                    "  - job_name: gateway",
                    "    static_configs: [{targets: ['127.0.0.1:" + gateway.server.adminAddress().getPort() + "']}]", ""));
            Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            Thread traffic = traffic(gateway);
            try {
                Prometheus api = new Prometheus(port);
                Eventually.await("Prometheus scraping the gateway (log: " + dir.resolve("prometheus.log") + ")", LIMIT,
                        () -> api.values("up{job=\"gateway\"}").contains("1"));
                System.gc(); // the JVM panel's GC series appear with the first collection seen

                JsonNode dashboard = JSON.readTree(docs.resolve("grafana-dashboard.json").toFile());
                List<String> queries = new ArrayList<>();
                dashboard.get("panels").forEach(panel -> panel.path("targets").forEach(t -> queries.add(t.get("expr").asText())));
                dashboard.at("/templating/list").forEach(v -> {
                    if (v.path("definition").asText().startsWith("label_values(")) {
                        queries.add(v.get("definition").asText().replaceAll("label_values\\((.*), \\w+\\)", "$1"));
                    }
                });
                assertThat(queries).hasSizeGreaterThan(20);
                Map<String, String> empty = new TreeMap<>();
                Eventually.await("every dashboard query to return series; still empty: " + empty.keySet(), LIMIT, () -> {
                    empty.clear();
                    for (String query : queries) {
                        String concrete = query.replace("$job", "gateway").replace("$instance", ".*")
                                .replace("$__rate_interval", "15s");
                        if (api.values(concrete).isEmpty()) {
                            empty.put(query, concrete);
                        }
                    }
                    return empty.isEmpty();
                });
                JsonNode rules = api.get("/api/v1/rules");
                assertThat(rules.at("/data/groups/0/rules")).as("alerts.yml loaded by Prometheus").hasSize(7);
            } finally {
                traffic.interrupt();
                server.destroy();
                if (!server.waitFor(20, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        }
    }

    /** Requests until interrupted: good answers, retried ones (the pool's dead target) and 5xx. */
    private static Thread traffic(GatewayFixture gateway) {
        Thread thread = new Thread(() -> {
            for (int i = 0; i < 100_000 && !Thread.currentThread().isInterrupted(); i++) {
                try {
                    gateway.get(i % 4 == 3 ? "/broken/x" : "/api/x" + i);
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // the gateway is closing
                }
            }
        }, "prometheus-test-traffic");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Prometheus' HTTP API on 127.0.0.1. */
    private static final class Prometheus {
        private final HttpClient client = HttpClient.newHttpClient();
        private final int port;

        Prometheus(int port) {
            this.port = port;
        }

        JsonNode get(String pathAndQuery) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return JSON.readTree(response.body());
            } catch (IOException e) {
                return JSON.createObjectNode(); // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** The values of an instant query's series (empty when it has none, or Prometheus is not up yet). */
        List<String> values(String query) {
            JsonNode result = get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).at("/data/result");
            List<String> values = new ArrayList<>();
            result.forEach(series -> values.add(series.at("/value/1").asText()));
            return values;
        }
    }
}
