package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.testkit.Eventually;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard on the admin listener, without a browser: its page and files come from the jar
 * with a strict Content-Security-Policy; its live feed ({@code /ui/events}, Server-Sent Events)
 * sends one JSON event a second with the routes, pools, traffic, insights and recent errors; and
 * the page, its files and its feed answer only the Hosts the rest of the admin listener does.
 */
class DashboardEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static RawConnection.Response raw(GatewayFixture gateway, String path, String host) throws Exception {
        try (RawConnection c = gateway.adminRaw()) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").read();
        }
    }

    @Test
    void pageAndFilesComeFromTheJarWithAStrictContentSecurityPolicy() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, "")) {
            HttpResponse<String> page = gateway.send(HttpRequest.newBuilder(gateway.adminUri("/")).build());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<script src=\"/ui/dashboard.js\"", "/ui/dashboard.css")
                    .doesNotContain("http://", "https://");
            assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
                    .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
            assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
            assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
            for (String[] file : new String[][] {{"/ui/dashboard.js", "text/javascript; charset=utf-8"},
                    {"/ui/dashboard.css", "text/css; charset=utf-8"}, {"/ui/favicon.svg", "image/svg+xml"}}) {
                HttpResponse<String> r = gateway.send(HttpRequest.newBuilder(gateway.adminUri(file[0])).build());
                assertThat(r.statusCode()).as(file[0]).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type")).as(file[0]).hasValue(file[1]);
                assertThat(r.body()).doesNotContain("https://cdn", "//unpkg", "//cdnjs");
            }
            for (String missing : new String[] {"/ui/", "/ui/nothing.js", "/ui/../status", "/index.html", "/ui/DASHBOARD.JS"}) {
                assertThat(raw(gateway, missing, "127.0.0.1").status()).as(missing).isEqualTo(404);
            }
            HttpResponse<String> post = gateway.send(HttpRequest.newBuilder(gateway.adminUri("/ui/events"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void anotherHostGets421ForThePageItsFilesAndItsFeed() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, "")) {
            int port = gateway.server.adminAddress().getPort();
            for (String path : new String[] {"/", "/ui/dashboard.js", "/ui/events"}) {
                RawConnection.Response refused = raw(gateway, path, "evil.example:" + port);
                assertThat(refused.status()).as(path).isEqualTo(421);
                assertThat(refused.body()).as(path).contains("\"status\":421").doesNotContain("data:");
            }
            assertThat(raw(gateway, "/", "localhost:" + port).status()).isEqualTo(200);
        }
    }

    @Test
    void theFeedSendsAnEventEverySecondWithRoutesTrafficAndRecentErrors() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("hello"));
             GatewayFixture gateway = GatewayFixture.start(dir, ""
                     + "[[routes]]\nname = \"api\"\npath = \"/api/*\"\ntargets = [\"" + backend.url() + "\"]\n")) {
            BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
            AtomicReference<String> contentType = new AtomicReference<>();
            Thread reader = readEvents(gateway, events, contentType);
            try {
                JsonNode first = events.poll(30, TimeUnit.SECONDS);
                assertThat(first).as("an event at once").isNotNull();
                assertThat(contentType.get()).startsWith("text/event-stream");
                assertThat(first.at("/routes/0/name").asText()).isEqualTo("api");
                assertThat(first.at("/routes/0/action").asText()).isEqualTo("proxy");
                assertThat(first.at("/pools/0/targets/0/url").asText()).isEqualTo(backend.url());
                assertThat(first.at("/config/sha256").asText()).hasSize(64);
                assertThat(first.at("/reload/allowed").asBoolean()).isTrue();

                for (int i = 0; i < 20; i++) {
                    assertThat(gateway.get("/api/x" + i).statusCode()).isEqualTo(200);
                }
                HttpResponse<String> missing = gateway.get("/nowhere");
                assertThat(missing.statusCode()).isEqualTo(404);
                String missingId = missing.headers().firstValue("x-request-id").orElseThrow();

                JsonNode moved = awaitEvent(events, e -> e.at("/routes/0/traffic/requests").asLong() >= 20
                        && e.at("/recent_errors").size() > 0);
                JsonNode api = moved.at("/routes/0/traffic");
                assertThat(api.get("rps").asDouble()).isPositive();
                assertThat(api.get("p50_ms").asDouble()).isPositive();
                assertThat(api.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(api.get("p50_ms").asDouble());
                assertThat(api.get("error_pct").asDouble()).isZero();
                assertThat(api.get("rps_points")).hasSize(60);
                JsonNode target = moved.at("/pools/0/targets/0/traffic");
                assertThat(target.get("attempts").asLong()).isGreaterThanOrEqualTo(20);
                JsonNode error = moved.at("/recent_errors/0");
                assertThat(error.get("request_id").asText()).isEqualTo(missingId);
                assertThat(error.get("status").asInt()).isEqualTo(404);
                assertThat(error.get("reason").asText()).isEqualTo("no route");
                assertThat(error.get("path").asText()).isEqualTo("/nowhere");
                assertThat(moved.at("/insights/clients/0/client_ip").asText()).isEqualTo("127.0.0.1");
                assertThat(moved.at("/insights/clients/0/request_ids/0").asText()).isEqualTo(missingId);
            } finally {
                reader.interrupt();
            }
        }
    }

    /** Reads the feed on a thread of its own, one parsed event per {@code data:} line. */
    private static Thread readEvents(GatewayFixture gateway, BlockingQueue<JsonNode> events,
                                     AtomicReference<String> contentType) throws Exception {
        HttpResponse<java.io.InputStream> response = gateway.client.send(
                HttpRequest.newBuilder(gateway.adminUri("/ui/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        contentType.set(response.headers().firstValue("content-type").orElse(""));
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("data: ")) {
                        events.add(JSON.readTree(line.substring(6)));
                    }
                }
            } catch (Exception e) {
                // the stream ends with the test
            }
        }, "sse-reader");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static JsonNode awaitEvent(BlockingQueue<JsonNode> events, java.util.function.Predicate<JsonNode> wanted) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        Eventually.await("an event showing the traffic", Duration.ofSeconds(30), () -> {
            JsonNode e;
            while ((e = events.poll()) != null) {
                if (wanted.test(e)) {
                    found.set(e);
                    return true;
                }
            }
            return false;
        });
        return found.get();
    }
}
