package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.core.admin.MetricsEndpoint;
import dev.gateway.core.metrics.RequestMetrics;
import dev.gateway.core.reload.ConfigReloader;
import dev.gateway.testkit.Eventually;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests through a real gateway to real backends, then the admin listener's {@code GET /metrics} scraped and read. */
class MetricsEndToEndTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final Pattern PROMETHEUS_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    @TempDir
    Path dir;

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Scrape scrape(GatewayFixture gateway) throws Exception {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.adminUri("/metrics")).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue(MetricsEndpoint.PROMETHEUS_TEXT);
        return new Scrape(response.body());
    }

    /** Exchanges are recorded when their last byte has been written, which may be just after the client read it. */
    private static Scrape scrapeWhen(GatewayFixture gateway, String what, java.util.function.Predicate<Scrape> ready) {
        Scrape[] last = new Scrape[1];
        Eventually.await(what, LIMIT, () -> {
            try {
                last[0] = scrape(gateway);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return ready.test(last[0]);
        });
        return last[0];
    }

    @Test
    void requestsAreCountedByRouteMethodAndStatusClassWithADurationHistogramAndBytes() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) ->
                     ctx.writeAndFlush(BackendHandlers.text(request.uri().endsWith("/missing")
                             ? HttpResponseStatus.NOT_FOUND : HttpResponseStatus.OK, "hello"))));
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\nname = \"api\"\npath = \"/api/*\"\n"
                     + "targets = [\"" + backend.url() + "\"]\n")) {
            for (int i = 0; i < 3; i++) {
                assertThat(gateway.get("/api/x").statusCode()).isEqualTo(200);
            }
            assertThat(gateway.send(HttpRequest.newBuilder(gateway.uri("/api/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("0123456789")).build()).statusCode()).isEqualTo(200);
            assertThat(gateway.get("/api/missing").statusCode()).isEqualTo(404);
            assertThat(gateway.get("/nowhere").statusCode()).isEqualTo(404);

            Scrape s = scrapeWhen(gateway, "six requests recorded",
                    m -> m.find("gateway_requests_total").stream().mapToDouble(Scrape.Sample::value).sum() == 6);
            assertThat(s.value("gateway_requests_total", "route", "api", "method", "GET", "status_class", "2xx")).isEqualTo(3);
            assertThat(s.value("gateway_requests_total", "route", "api", "method", "POST", "status_class", "2xx")).isEqualTo(1);
            assertThat(s.value("gateway_requests_total", "route", "api", "method", "GET", "status_class", "4xx")).isEqualTo(1);
            assertThat(s.value("gateway_requests_total", "route", "none", "method", "GET", "status_class", "4xx")).isEqualTo(1);

            // A Prometheus histogram: cumulative buckets up to +Inf, whose count is the number of requests.
            List<Scrape.Sample> buckets = s.find("gateway_request_duration_seconds_bucket", "route", "api", "status_class", "2xx");
            assertThat(buckets).hasSize(RequestMetrics.DURATION_BUCKETS.length + 1);
            assertThat(buckets).extracting(b -> b.labels().get("le")).contains("0.001", "0.1", "1.0", "30.0", "+Inf");
            assertThat(s.value("gateway_request_duration_seconds_bucket", "route", "api", "status_class", "2xx", "le", "+Inf"))
                    .isEqualTo(4);
            assertThat(s.value("gateway_request_duration_seconds_count", "route", "api", "status_class", "2xx")).isEqualTo(4);
            assertThat(s.value("gateway_request_duration_seconds_sum", "route", "api", "status_class", "2xx")).isPositive();
            assertThat(s.types).containsEntry("gateway_request_duration_seconds", "histogram");

            assertThat(s.value("gateway_request_body_bytes_total", "route", "api")).isEqualTo(10);
            assertThat(s.value("gateway_response_body_bytes_total", "route", "api")).isEqualTo(5 * "hello".length());
            assertThat(s.value("gateway_upstream_requests_total", "pool", "route:api", "target", backend.url(), "outcome", "2xx"))
                    .isEqualTo(4);
            assertThat(s.value("gateway_upstream_requests_total", "pool", "route:api", "target", backend.url(), "outcome", "4xx"))
                    .isEqualTo(1);
            assertThat(s.value("gateway_upstream_duration_seconds_count", "pool", "route:api", "target", backend.url()))
                    .isEqualTo(5);
            assertThat(s.value("gateway_rejected_requests_total", "reason", "bad_request"))
                    .as("a 404 from the target is no rejection").isZero();
        }
    }

    @Test
    void upstreamFailuresRetriesAndRejectionsAreCountedByOutcomeAndReason() throws Exception {
        int dead = closedPort();
        try (TestBackend silent = TestBackend.start(BackendHandlers::silent);
             GatewayFixture gateway = GatewayFixture.start(dir, "max_body_size = \"1KiB\"\nmax_header_size = \"2KiB\"",
                     "[[routes]]\nname = \"dead\"\npath = \"/dead/*\"\nretries = 1\ntargets = [\"http://127.0.0.1:" + dead + "\"]\n"
                     + "[[routes]]\nname = \"slow\"\npath = \"/slow/*\"\ntimeout = \"300ms\"\nretries = 0\n"
                     + "targets = [\"" + silent.url() + "\"]\n"
                     + "[[routes]]\nname = \"limited\"\npath = \"/limited\"\nredirect = \"https://example.com/\"\n"
                     + "rate_limit = { rate = 1, per = \"1h\", burst = 1 }\n");
             RawConnection c = gateway.raw()) {
            assertThat(gateway.get("/dead/x").statusCode()).isEqualTo(502);
            assertThat(gateway.get("/slow/x").statusCode()).isEqualTo(504);
            assertThat(gateway.send(HttpRequest.newBuilder(gateway.uri("/slow/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(2000))).build()).statusCode()).isEqualTo(413);
            assertThat(c.send("GET /slow/x HTTP/1.1\r\nHost: e\r\nX-Big: " + "y".repeat(4000) + "\r\n\r\n").read().status())
                    .isEqualTo(431);

            assertThat(gateway.get("/limited").statusCode()).isEqualTo(302);
            assertThat(gateway.get("/limited").statusCode()).isEqualTo(429);

            String deadUrl = "http://127.0.0.1:" + dead;
            Scrape s = scrapeWhen(gateway, "six requests recorded",
                    m -> m.find("gateway_requests_total").stream().mapToDouble(Scrape.Sample::value).sum() == 6);
            assertThat(s.value("gateway_upstream_requests_total", "pool", "route:dead", "target", deadUrl,
                    "outcome", "connect_failure")).as("first attempt and its retry").isEqualTo(2);
            assertThat(s.value("gateway_upstream_retries_total", "pool", "route:dead")).isEqualTo(1);
            assertThat(s.value("gateway_upstream_requests_total", "pool", "route:slow", "target", silent.url(),
                    "outcome", "timeout")).isEqualTo(1);
            assertThat(s.value("gateway_rejected_requests_total", "reason", "upstream_timeout")).isEqualTo(1);
            assertThat(s.value("gateway_rejected_requests_total", "reason", "too_large")).isEqualTo(1);
            assertThat(s.value("gateway_rejected_requests_total", "reason", "headers_too_large")).isEqualTo(1);
            assertThat(s.value("gateway_rejected_requests_total", "reason", "rate_limited")).isEqualTo(1);
            assertThat(s.value("gateway_rejected_requests_total", "reason", "no_healthy_target")).isZero();
            assertThat(s.value("gateway_requests_total", "route", "limited", "method", "GET", "status_class", "4xx")).isEqualTo(1);
            assertThat(s.value("gateway_requests_total", "route", "dead", "method", "GET", "status_class", "5xx")).isEqualTo(1);
        }
    }

    @Test
    void breakerAndHealthGaugesFollowAFailingTarget() throws Exception {
        int dead = closedPort();
        String deadUrl = "http://127.0.0.1:" + dead;
        try (GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\nname = \"flaky\"\npath = \"/*\"\n"
                + "upstream = \"flaky\"\nretries = 0\n"
                + "[upstreams.flaky]\ntargets = [\"" + deadUrl + "\"]\n"
                + "[upstreams.flaky.circuit_breaker]\nconsecutive_failures = 2\nmax_ejected_percent = 100\nopen_duration = \"1m\"\n"
                + "[upstreams.down]\ntargets = [\"" + deadUrl + "\"]\n"
                + "[upstreams.down.health_check]\ntype = \"tcp\"\ninterval = \"100ms\"\ntimeout = \"90ms\"\n"
                + "unhealthy_threshold = 1\n")) {
            Scrape before = scrape(gateway);
            assertThat(before.value("gateway_target_breaker_state", "pool", "flaky", "target", deadUrl, "state", "closed")).isEqualTo(1);
            assertThat(before.value("gateway_target_breaker_state", "pool", "flaky", "target", deadUrl, "state", "open")).isZero();
            assertThat(before.value("gateway_target_healthy", "pool", "flaky", "target", deadUrl)).isEqualTo(1);

            assertThat(gateway.get("/x").statusCode()).isEqualTo(502);
            assertThat(gateway.get("/x").statusCode()).isEqualTo(502);
            assertThat(gateway.get("/x").statusCode()).as("breaker open: no target left").isEqualTo(503);

            Scrape s = scrapeWhen(gateway, "three requests recorded and the health check failed",
                    m -> m.value("gateway_requests_total", "route", "flaky", "method", "GET", "status_class", "5xx") == 3
                            && m.value("gateway_target_healthy", "pool", "down", "target", deadUrl) == 0);
            assertThat(s.value("gateway_target_breaker_state", "pool", "flaky", "target", deadUrl, "state", "open")).isEqualTo(1);
            assertThat(s.value("gateway_target_breaker_state", "pool", "flaky", "target", deadUrl, "state", "closed")).isZero();
            assertThat(s.value("gateway_target_breaker_state", "pool", "flaky", "target", deadUrl, "state", "half_open")).isZero();
            assertThat(s.value("gateway_rejected_requests_total", "reason", "no_healthy_target")).isEqualTo(1);
            assertThat(s.value("gateway_upstream_requests_total", "pool", "flaky", "target", deadUrl, "outcome", "connect_failure"))
                    .isEqualTo(2);
            assertThat(s.value("gateway_target_healthy", "pool", "flaky", "target", deadUrl))
                    .as("no health check on this pool").isEqualTo(1);
            assertThat(s.value("gateway_target_active_requests", "pool", "flaky", "target", deadUrl)).isZero();
        }
    }

    @Test
    void openConnectionsAndWebSocketsAreReported() throws Exception {
        WebSocketEcho echo = new WebSocketEcho("echo");
        try (TestBackend backend = TestBackend.start(echo::handler);
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\nname = \"chat\"\npath = \"/ws/*\"\n"
                     + "websocket = true\ntargets = [\"" + backend.url() + "\"]\n");
             RawConnection c = gateway.raw()) {
            Scrape s = scrapeWhen(gateway, "the raw connection counted", m -> m.value("gateway_open_connections") == 1);
            assertThat(s.value("gateway_rejected_connections_total")).isZero();
            assertThat(s.find("gateway_open_websockets")).as("no WebSocket yet").isEmpty();

            WebSocketProbe probe = WebSocketProbe.open(gateway.client,
                    java.net.URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/chat"));
            assertThat(probe.roundTrip("hello")).isEqualTo("hello");
            s = scrape(gateway);
            assertThat(s.value("gateway_open_websockets", "route", "chat")).isEqualTo(1);
            assertThat(s.value("gateway_websockets_total", "route", "chat")).isEqualTo(1);
            assertThat(s.value("gateway_target_open_websockets", "target", backend.url())).isEqualTo(1);
            assertThat(s.value("gateway_upstream_requests_total", "target", backend.url(), "outcome", "1xx"))
                    .as("the handshake is an upstream attempt like any other").isEqualTo(1);
            assertThat(s.value("gateway_target_active_requests", "target", backend.url()))
                    .as("an open WebSocket keeps its target busy").isEqualTo(1);
            assertThat(s.value("gateway_websocket_bytes_total", "route", "chat", "direction", "from_client")).isPositive();
            assertThat(s.value("gateway_websocket_bytes_total", "route", "chat", "direction", "from_target")).isPositive();

            probe.socket.abort();
            s = scrapeWhen(gateway, "the WebSocket closed and its exchange recorded",
                    m -> m.value("gateway_open_websockets", "route", "chat") == 0
                            && m.value("gateway_requests_total", "route", "chat", "method", "GET", "status_class", "1xx") == 1);
            assertThat(s.value("gateway_websockets_total", "route", "chat")).isEqualTo(1);
        }
    }

    @Test
    void reloadsAreCountedAndTheGaugesFollowTheNewPoolsAndFile() throws Exception {
        String before = "http://127.0.0.1:" + closedPort();
        String after = "http://127.0.0.1:" + closedPort();
        try (GatewayFixture gateway = GatewayFixture.start(dir, "[upstreams.api]\ntargets = [\"" + before + "\"]\n")) {
            Path file = dir.resolve("app_config.toml");
            Scrape s = scrape(gateway);
            assertThat(s.value("gateway_config_info", "sha256", ConfigReloader.sha256Of(file))).isEqualTo(1);
            assertThat(s.value("gateway_config_loaded_timestamp_seconds"))
                    .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(600.0));
            assertThat(s.value("gateway_config_reloads_total", "result", "success")).isZero();
            assertThat(s.value("gateway_target_healthy", "pool", "api", "target", before)).isEqualTo(1);

            gateway.rewriteConfig("", "[upstreams.api]\ntargets = [\"" + after + "\"]\n");
            assertThat(gateway.reload().applied()).isTrue();
            gateway.rewriteConfig("", "[upstreams.api]\ntargets = 42\n");
            assertThat(gateway.reload().applied()).isFalse();

            s = scrape(gateway);
            assertThat(s.value("gateway_config_reloads_total", "result", "success")).isEqualTo(1);
            assertThat(s.value("gateway_config_reloads_total", "result", "failure")).isEqualTo(1);
            assertThat(s.find("gateway_config_info")).singleElement().satisfies(info ->
                    assertThat(info.labels().get("sha256")).as("the applied file, not the invalid one")
                            .isEqualTo(gateway.server.reloadStats().loaded().sha256())
                            .isNotEqualTo(ConfigReloader.sha256Of(file)));
            assertThat(s.find("gateway_target_healthy", "pool", "api")).singleElement()
                    .satisfies(gauge -> assertThat(gauge.labels()).containsEntry("target", after));
            assertThat(s.find("gateway_target_breaker_state", "pool", "api", "target", after)).hasSize(3);
        }
    }

    @Test
    void jvmProcessAndNettyMetricsComeFromMicrometersBindersAndNamesFollowPrometheusConventions() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, "")) {
            Scrape s = scrape(gateway);
            assertThat(s.find("jvm_memory_used_bytes")).isNotEmpty();
            assertThat(s.types).containsKeys("jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                    "process_cpu_usage", "process_uptime_seconds", "process_files_open_files", "system_cpu_count", "jvm_info");
            assertThat(s.find("netty_allocator_memory_used", "memory_type", "direct")).isNotEmpty();
            int ioThreads = Runtime.getRuntime().availableProcessors(); // io_threads = 0: one per core
            assertThat(s.value("netty_eventexecutor_workers", "group", "io")).isEqualTo(ioThreads);
            assertThat(s.find("netty_eventexecutor_tasks_pending", "group", "io"))
                    .hasSize(ioThreads)
                    .allSatisfy(sample -> assertThat(sample.labels().get("name")).startsWith("gateway-io"));
            assertThat(s.value("netty_eventexecutor_workers", "group", "accept")).isEqualTo(1);

            for (Scrape.Sample sample : s.samples) {
                assertThat(sample.name()).matches(PROMETHEUS_NAME);
            }
            s.types.forEach((family, type) -> {
                if (type.equals("counter")) {
                    assertThat(family).endsWith("_total");
                    assertThat(s.find(family)).as(family + " samples").isNotEmpty();
                }
                if (family.startsWith("gateway_") && family.contains("duration")) {
                    assertThat(family).endsWith("_seconds");
                }
            });
        }
    }

    @Test
    void openMetricsIsServedWhenTheScraperAsksForIt() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, "")) {
            HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.adminUri("/metrics"))
                    .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5").build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue(MetricsEndpoint.OPENMETRICS_TEXT);
            assertThat(response.body()).contains("# TYPE gateway_rejected_requests counter",
                    "gateway_rejected_requests_total{reason=\"rate_limited\"} 0").endsWith("# EOF\n");
        }
    }
}
