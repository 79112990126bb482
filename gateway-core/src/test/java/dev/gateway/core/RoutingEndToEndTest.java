package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests through a real gateway: static routes, redirects, 404/405 bodies, request ids, admin. */
class RoutingEndToEndTest {

    @TempDir
    static Path dir;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("site"));
        Files.createDirectories(dir.resolve("docs/guide"));
        Files.writeString(dir.resolve("site/index.html"), "<h1>site</h1>");
        Files.writeString(dir.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.writeString(dir.resolve("docs/guide/start.html"), "<h1>start</h1>");
        gateway = GatewayFixture.start(dir, String.join("\n",
                "[[routes]]", "path = \"/docs/*\"", "static = \"docs\"",
                "[[routes]]", "path = \"/old/*\"", "redirect = \"https://new.example.com/\"", "status = 301",
                "[[routes]]", "path = \"/go\"", "redirect = \"/docs/\"",
                "[[routes]]", "path = \"/only-post\"", "methods = [\"POST\"]", "redirect = \"/\"",
                "[[routes]]", "path = \"/*\"", "host = \"site.test\"", "static = \"site\"",
                ""));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void staticRouteServesTheRestOfThePathInsideItsDirectory() throws Exception {
        HttpResponse<String> response = gateway.get("/docs/guide/start.html");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("<h1>start</h1>");
        assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(gateway.get("/docs/").body()).isEqualTo("<h1>docs</h1>");
    }

    @Test
    void prefixWithoutTrailingSlashRedirectsToTheDirectory() throws Exception {
        HttpResponse<String> response = gateway.get("/docs?x=1");
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("location")).hasValue("/docs/?x=1");
    }

    @Test
    void redirectRoutesKeepTheRestOfThePathAndTheQuery() throws Exception {
        HttpResponse<String> response = gateway.get("/old/a/b?q=1");
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("location")).hasValue("https://new.example.com/a/b?q=1");
        HttpResponse<String> plain = gateway.get("/go");
        assertThat(plain.statusCode()).isEqualTo(302);
        assertThat(plain.headers().firstValue("location")).hasValue("/docs/");
    }

    @Test
    void noRouteAndNoDefaultSiteIsJson404WithRequestId() throws Exception {
        HttpResponse<String> response = gateway.get("/nothing-here");
        assertThat(response.statusCode()).isEqualTo(404);
        String id = response.headers().firstValue("x-request-id").orElseThrow();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"status\":404,\"error\":\"Not Found\",\"request_id\":\"" + id + "\"}\n");
        assertThat(response.headers().firstValue("date")).hasValueSatisfying(date -> assertThat(date).endsWith(" GMT"));
        assertThat(response.headers().firstValue("server")).hasValue("gateway");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> response = gateway.get("/only-post");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void saneClientRequestIdIsKeptAndInsaneOneReplaced() throws Exception {
        HttpResponse<String> kept = gateway.send(HttpRequest.newBuilder(gateway.uri("/docs/"))
                .header("X-Request-Id", "abc-123_trace.1").build());
        assertThat(kept.headers().firstValue("x-request-id")).hasValue("abc-123_trace.1");
        HttpResponse<String> replaced = gateway.send(HttpRequest.newBuilder(gateway.uri("/docs/"))
                .header("X-Request-Id", "bad id with spaces {}").build());
        assertThat(replaced.headers().firstValue("x-request-id").orElseThrow()).matches("[0-9a-f]{32}");
    }

    @Test
    void hostRoutesApplyOnlyToTheirHost() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response site = c.send("GET / HTTP/1.1\r\nHost: SITE.test:8080\r\n\r\n").read();
            assertThat(site.body()).isEqualTo("<h1>site</h1>");
            assertThat(c.send("GET / HTTP/1.1\r\nHost: other.test\r\n\r\n").read().status()).isEqualTo(404);
        }
    }

    @Test
    void adminAnswersHealthAndReadiness() throws Exception {
        HttpResponse<String> health = gateway.send(HttpRequest.newBuilder(gateway.adminUri("/health")).build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"up\"");
        HttpResponse<String> ready = gateway.send(HttpRequest.newBuilder(gateway.adminUri("/ready")).build());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(gateway.send(HttpRequest.newBuilder(gateway.adminUri("/nope")).build()).statusCode()).isEqualTo(404);
    }
}
