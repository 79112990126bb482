package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CORS through a real gateway (Fetch standard, "CORS protocol"): a real preflight sent by curl is
 * answered by the gateway and never reaches the target; responses carry the Access-Control headers
 * only for allowed origins, with {@code Vary: Origin}; a preflight skips authentication.
 */
class CorsEndToEndTest {

    private static final String APP = "https://app.example.com";

    @TempDir
    Path dir;

    private static String cors(TestBackend backend, String path, String extra) {
        return "[[routes]]\npath = \"" + path + "\"\ntargets = [\"" + backend.url() + "\"]\n" + extra
                + "cors = { origins = [\"" + APP + "\", \"http://localhost:3000\"], methods = [\"GET\", \"PUT\", \"DELETE\"], "
                + "headers = [\"Content-Type\", \"X-Token\"], expose = [\"X-Total\"], credentials = true, max_age = \"10m\" }\n";
    }

    /** A preflight as curl sends it; returns the status line and headers, lower-cased names. */
    private static List<String> curlPreflight(GatewayFixture gateway, String path, String origin, String method,
                                              String headers) throws Exception {
        assumeTrue(ExternalTools.find("curl").isPresent(), "curl is not installed: no real preflight to send");
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-D", "-", "-o", "/dev/null", "--max-time", "30",
                "-X", "OPTIONS", "-H", "Origin: " + origin, "-H", "Access-Control-Request-Method: " + method));
        if (headers != null) {
            command.addAll(List.of("-H", "Access-Control-Request-Headers: " + headers));
        }
        command.add(gateway.uri(path).toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = new ArrayList<>();
        for (String line : new String(out, StandardCharsets.ISO_8859_1).split("\r\n")) {
            int colon = line.indexOf(':');
            lines.add(colon > 0 && !line.startsWith("HTTP/") ? line.substring(0, colon).toLowerCase(Locale.ROOT) + line.substring(colon) : line);
        }
        return lines;
    }

    private static HttpResponse<String> get(GatewayFixture gateway, String path, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return gateway.send(request.build());
    }

    @Test
    void aPreflightIsAnsweredByTheGateway() throws Exception {
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, cors(backend, "/api/*", ""))) {
            List<String> granted = curlPreflight(gateway, "/api/items/1", APP, "PUT", "content-type, X-Token");
            assertThat(granted.get(0)).startsWith("HTTP/1.1 204");
            assertThat(granted).contains("access-control-allow-origin: " + APP,
                    "access-control-allow-credentials: true", "access-control-allow-methods: GET, PUT, DELETE",
                    "access-control-allow-headers: content-type, x-token", "access-control-max-age: 600");
            assertThat(granted).anySatisfy(h -> assertThat(h).startsWith("vary: Origin"));

            List<String> otherOrigin = curlPreflight(gateway, "/api/items/1", "https://evil.example.com", "PUT", null);
            assertThat(otherOrigin.get(0)).startsWith("HTTP/1.1 403");
            assertThat(otherOrigin).noneSatisfy(h -> assertThat(h).startsWith("access-control-allow-"));
            List<String> lookalike = curlPreflight(gateway, "/api/items/1", APP + ".evil.net", "GET", null);
            assertThat(lookalike.get(0)).startsWith("HTTP/1.1 403");
            assertThat(curlPreflight(gateway, "/api/items/1", APP, "PATCH", null).get(0)).startsWith("HTTP/1.1 403");
            assertThat(curlPreflight(gateway, "/api/items/1", APP, "GET", "x-other").get(0)).startsWith("HTTP/1.1 403");
            assertThat(seen).as("no preflight reached the target").isEmpty();
        }
    }

    @Test
    void responsesCarryTheHeadersOnlyForAllowedOrigins() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) -> {
                var response = BackendHandlers.text(HttpResponseStatus.OK, "data");
                response.headers().set("Access-Control-Allow-Origin", "*").set("X-Total", "7");
                ctx.writeAndFlush(response);
             }));
             GatewayFixture gateway = GatewayFixture.start(dir, cors(backend, "/api/*", "")
                     + "[[routes]]\npath = \"/public/*\"\ntargets = [\"" + backend.url() + "\"]\n"
                     + "cors = { origins = [\"*\"] }\n")) {
            HttpResponse<String> allowed = get(gateway, "/api/x", APP);
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().allValues("access-control-allow-origin")).containsExactly(APP);
            assertThat(allowed.headers().firstValue("access-control-allow-credentials")).contains("true");
            assertThat(allowed.headers().firstValue("access-control-expose-headers")).contains("x-total");
            assertThat(allowed.headers().allValues("vary")).contains("Origin");

            HttpResponse<String> other = get(gateway, "/api/x", "https://evil.example.com");
            assertThat(other.headers().firstValue("access-control-allow-origin"))
                    .as("the target's own '*' is replaced by the policy").isEmpty();
            assertThat(other.headers().allValues("vary")).contains("Origin");
            assertThat(get(gateway, "/api/x", null).headers().firstValue("access-control-allow-origin")).isEmpty();

            HttpResponse<String> anyone = get(gateway, "/public/x", "https://whoever.example");
            assertThat(anyone.headers().allValues("access-control-allow-origin")).containsExactly("*");
            assertThat(anyone.headers().firstValue("access-control-allow-credentials")).isEmpty();
            assertThat(anyone.headers().allValues("vary")).doesNotContain("Origin");
        }
    }

    @Test
    void aPreflightSkipsAuthenticationAndRefusalsAreReadable() throws Exception {
        assumeTrue(ExternalTools.find("htpasswd").isPresent(), "htpasswd is not installed (Debian package apache2-utils)");
        Process htpasswd = new ProcessBuilder("htpasswd", "-B", "-C", "5", "-b", "-c", dir.resolve("users").toString(),
                "alice", "pw").start();
        assertThat(htpasswd.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(dir.resolve("users"))).isTrue();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, cors(backend, "/api/*",
                     "basic_auth = { users = \"users\", realm = \"api\" }\n"))) {
            assertThat(curlPreflight(gateway, "/api/x", APP, "DELETE", "x-token").get(0)).startsWith("HTTP/1.1 204");
            HttpResponse<String> refused = get(gateway, "/api/x", APP);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("access-control-allow-origin"))
                    .as("the page can read why it was turned away").contains(APP);
        }
    }
}
