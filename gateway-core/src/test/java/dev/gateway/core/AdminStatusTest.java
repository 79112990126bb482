package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.config.load.ConfigLoader;
import dev.gateway.core.reload.ConfigReloader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener's {@code GET /status} JSON and who may call {@code POST /reload}. */
class AdminStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode status(GatewayFixture gateway) throws Exception {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.adminUri("/status")).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> postReload(GatewayFixture gateway, URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return gateway.send(request.build());
    }

    @Test
    void statusDescribesConfigRoutesPoolsAndTargets() throws Exception {
        int dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("up"));
             GatewayFixture gateway = GatewayFixture.start(dir,
                     "[[routes]]\nname = \"api\"\npath = \"/api/*\"\nmethods = [\"GET\", \"POST\"]\nupstream = \"api\"\n"
                     + "[[routes]]\npath = \"/down/*\"\nupstream = \"down\"\nretries = 0\n"
                     + "[[routes]]\npath = \"/old\"\nredirect = \"/new\"\n"
                     + "[upstreams.api]\ntargets = [\"" + backend.url() + "\"]\nstrategy = \"least_connections\"\n"
                     + "[upstreams.down]\ntargets = [\"http://127.0.0.1:" + dead + "\"]\n"
                     + "[upstreams.down.circuit_breaker]\nconsecutive_failures = 1\nopen_duration = \"1h\"\n"
                     + "max_open_duration = \"1h\"\nmax_ejected_percent = 100\n")) {
            assertThat(gateway.get("/api/a").body()).isEqualTo("up");
            assertThat(gateway.get("/api/b").body()).isEqualTo("up");
            assertThat(gateway.get("/down/x").statusCode()).isEqualTo(502);

            JsonNode status = status(gateway);

            assertThat(status.get("version").asText()).isNotEmpty();
            assertThat(status.get("uptime_seconds").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(status.get("ready").asBoolean()).isTrue();
            assertThat(status.get("listen").asText()).isEqualTo("127.0.0.1:" + gateway.port());
            JsonNode config = status.get("config");
            Path file = dir.resolve("app_config.toml");
            assertThat(config.get("source").asText()).isEqualTo(file.toAbsolutePath().normalize().toString());
            assertThat(config.get("sha256").asText()).isEqualTo(ConfigReloader.sha256(Files.readAllBytes(file)));
            assertThat(Instant.parse(config.get("loaded_at").asText())).isBeforeOrEqualTo(Instant.now());
            assertThat(config.get("reloads_succeeded").asLong()).isZero();
            assertThat(config.get("reloads_failed").asLong()).isZero();
            assertThat(config.get("last_failure").isNull()).isTrue();

            JsonNode routes = status.get("routes");
            assertThat(routes).hasSize(3);
            assertThat(routes.get(0).get("name").asText()).isEqualTo("api");
            assertThat(routes.get(0).get("path").asText()).isEqualTo("/api/*");
            assertThat(routes.get(0).get("action").asText()).isEqualTo("proxy");
            assertThat(routes.get(0).get("upstream").asText()).isEqualTo("api");
            assertThat(routes.get(0).get("methods").toString()).isEqualTo("[\"GET\",\"POST\"]");
            assertThat(routes.get(2).get("action").asText()).isEqualTo("redirect");
            assertThat(routes.get(2).get("location").asText()).isEqualTo("/new");

            JsonNode api = status.get("pools").get(0);
            assertThat(api.get("name").asText()).isEqualTo("api");
            assertThat(api.get("strategy").asText()).isEqualTo("least_connections");
            JsonNode target = api.get("targets").get(0);
            assertThat(target.get("url").asText()).isEqualTo(backend.url());
            assertThat(target.get("healthy").asBoolean()).isTrue();
            assertThat(target.get("breaker").get("state").asText()).isEqualTo("closed");
            assertThat(target.get("breaker").has("open_until")).isFalse();
            assertThat(target.get("active_requests").asInt()).isZero();
            assertThat(target.get("attempts").asLong()).isEqualTo(2);
            assertThat(target.get("failures").asLong()).isZero();
            assertThat(target.get("latency_ms").asDouble()).isPositive();

            JsonNode down = status.get("pools").get(1).get("targets").get(0);
            assertThat(down.get("breaker").get("state").asText()).isEqualTo("open");
            Instant openUntil = Instant.parse(down.get("breaker").get("open_until").asText());
            assertThat(openUntil).isAfter(Instant.now().plusSeconds(3000));
            assertThat(down.get("attempts").asLong()).isEqualTo(1);
            assertThat(down.get("failures").asLong()).isEqualTo(1);
            assertThat(down.get("latency_ms").isNull()).isTrue();
        }
    }

    @Test
    void statusReportsReloadsAndTheLastFailure() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\npath = \"/old\"\nredirect = \"/a\"\n")) {
            String firstHash = status(gateway).get("config").get("sha256").asText();
            gateway.rewriteConfig("", "[[routes]]\npath = \"/old\"\nredirect = \"/b\"\n");
            HttpResponse<String> reloaded = postReload(gateway, gateway.adminUri("/reload"), null);
            assertThat(reloaded.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(reloaded.body());
            assertThat(body.get("status").asText()).isEqualTo("reloaded");
            assertThat(body.get("routes").asInt()).isEqualTo(1);
            assertThat(body.get("needs_restart")).isEmpty();

            gateway.rewriteConfig("", "[[routes]]\npath = \"/old\"\nredirect = \"/c\"\nbogus = 1\n");
            HttpResponse<String> invalid = postReload(gateway, gateway.adminUri("/reload"), null);
            assertThat(invalid.statusCode()).isEqualTo(422);
            JsonNode problems = JSON.readTree(invalid.body()).get("problems");
            assertThat(JSON.readTree(invalid.body()).get("status").asText()).isEqualTo("invalid");
            assertThat(problems.get(0).get("key").asText()).isEqualTo("routes[0].bogus");
            assertThat(problems.get(0).get("line").asInt()).isPositive();
            assertThat(problems.get(0).get("message").asText()).isNotEmpty();

            JsonNode config = status(gateway).get("config");
            assertThat(config.get("reloads_succeeded").asLong()).isEqualTo(1);
            assertThat(config.get("reloads_failed").asLong()).isEqualTo(1);
            assertThat(config.get("sha256").asText()).isNotEqualTo(firstHash).isEqualTo(body.get("sha256").asText());
            assertThat(config.get("last_failure").get("problems").get(0).get("key").asText()).isEqualTo("routes[0].bogus");
            assertThat(status(gateway).get("routes").get(0).get("location").asText()).isEqualTo("/b");
        }
    }

    @Test
    void wrongMethodsAnswer405WithAllow() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, "")) {
            HttpResponse<String> getReload = gateway.send(HttpRequest.newBuilder(gateway.adminUri("/reload")).build());
            assertThat(getReload.statusCode()).isEqualTo(405);
            assertThat(getReload.headers().firstValue("allow")).hasValue("POST");
            HttpResponse<String> postStatus = gateway.send(HttpRequest.newBuilder(gateway.adminUri("/status"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(postStatus.statusCode()).isEqualTo(405);
            assertThat(postStatus.headers().firstValue("allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void tokenOnLoopbackIsRequiredWhenConfigured() throws Exception {
        try (GatewayFixture gateway = start("127.0.0.1", "s3cret")) {
            URI reload = gateway.adminUri("/reload");
            HttpResponse<String> missing = postReload(gateway, reload, null);
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(postReload(gateway, reload, "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(postReload(gateway, reload, "Bearer s3cret0").statusCode()).isEqualTo(401);
            assertThat(postReload(gateway, reload, "Basic s3cret").statusCode()).isEqualTo(401);
            assertThat(postReload(gateway, reload, "Bearer s3cret").statusCode()).isEqualTo(200);
            assertThat(gateway.server.reloadStats().succeeded()).isEqualTo(1);
        }
    }

    @Test
    void nonLoopbackAdminWithoutTokenRefusesReloadButServesStatus() throws Exception {
        try (GatewayFixture gateway = start("0.0.0.0", null)) {
            assertThat(postReload(gateway, gateway.adminUri("/reload"), null).statusCode()).isEqualTo(403);
            assertThat(postReload(gateway, gateway.adminUri("/reload"), "Bearer anything").statusCode()).isEqualTo(403);
            assertThat(gateway.server.reloadStats().succeeded()).isZero();
            assertThat(status(gateway).get("ready").asBoolean()).isTrue();
        }
    }

    @Test
    void nonLoopbackAdminWithTokenReloadsWithTheRightToken() throws Exception {
        try (GatewayFixture gateway = start("0.0.0.0", "t0ken")) {
            assertThat(postReload(gateway, gateway.adminUri("/reload"), null).statusCode()).isEqualTo(401);
            assertThat(postReload(gateway, gateway.adminUri("/reload"), "bearer t0ken").statusCode()).isEqualTo(200);
        }
    }

    /** A gateway whose admin listener binds {@code adminHost} (port 0), with an optional token. */
    private GatewayFixture start(String adminHost, String token) throws Exception {
        Path file = dir.resolve("admin.toml");
        Files.writeString(file, "[server]\nlisten = \"127.0.0.1:0\"\n[admin]\nlisten = \"" + adminHost + ":0\"\n"
                + (token == null ? "" : "token = \"" + token + "\"\n") + "[logging]\naccess_log = \"off\"\n");
        return GatewayFixture.of(dir, GatewayServer.start(ConfigLoader.load(file, Map.of())));
    }
}
