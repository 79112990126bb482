package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * forward_auth through a real gateway against an in-process auth service: a 2xx lets the request
 * through with the named identity headers (which a client cannot forge), any other answer goes to
 * the client as it is, and an auth service that is down or silent is a 503, never an open door.
 */
class ForwardAuthEndToEndTest {

    @TempDir
    Path dir;

    /** Lets "Bearer good" in as alice, sends "Bearer login" to a login page, refuses the rest with a challenge. */
    private static TestBackend authService(BlockingQueue<BackendHandlers.Seen> checks) throws InterruptedException {
        return TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) -> {
            checks.add(new BackendHandlers.Seen(request.method().name(), request.uri(),
                    java.util.Map.of("authorization", String.valueOf(request.headers().get("Authorization")),
                            "x-forwarded-method", String.valueOf(request.headers().get("X-Forwarded-Method")),
                            "x-forwarded-uri", String.valueOf(request.headers().get("X-Forwarded-Uri")),
                            "x-forwarded-host", String.valueOf(request.headers().get("X-Forwarded-Host"))), ""));
            String authorization = request.headers().get("Authorization");
            if ("Bearer good".equals(authorization)) {
                var ok = BackendHandlers.text(HttpResponseStatus.OK, "");
                ok.headers().set("X-User", "alice").set("X-Groups", "ops").set("X-Not-Copied", "1");
                ctx.writeAndFlush(ok);
            } else if ("Bearer login".equals(authorization)) {
                var redirect = BackendHandlers.text(HttpResponseStatus.FOUND, "");
                redirect.headers().set("Location", "https://login.example.com/?rd=x");
                ctx.writeAndFlush(redirect);
            } else {
                var refused = BackendHandlers.text(HttpResponseStatus.UNAUTHORIZED, "{\"reason\":\"who are you\"}");
                refused.headers().set("WWW-Authenticate", "Bearer realm=\"api\"").set("Content-Type", "application/json");
                ctx.writeAndFlush(refused);
            }
        }));
    }

    private static String route(String path, TestBackend backend, String authUrl, String timeout) {
        return "[[routes]]\npath = \"" + path + "\"\ntargets = [\"" + backend.url() + "\"]\n"
                + "forward_auth = { url = \"" + authUrl + "\", copy_response_headers = [\"X-User\", \"X-Groups\"], "
                + "timeout = \"" + timeout + "\" }\n";
    }

    private static HttpResponse<String> send(GatewayFixture gateway, String method, String path, String authorization,
                                             String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gateway.send(request.build());
    }

    @Test
    void theAuthServiceDecides() throws Exception {
        BlockingQueue<BackendHandlers.Seen> checks = new LinkedBlockingQueue<>();
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend auth = authService(checks);
             TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "secret data"));
             GatewayFixture gateway = GatewayFixture.start(dir, route("/api/*", backend, auth.url() + "/verify?app=api", "5s"))) {
            HttpResponse<String> ok = send(gateway, "GET", "/api/items?page=2", "Bearer good", null,
                    "X-User", "root", "X-Groups", "admin");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("secret data");
            BackendHandlers.Seen check = checks.poll(10, TimeUnit.SECONDS);
            assertThat(check.method()).isEqualTo("GET");
            assertThat(check.uri()).isEqualTo("/verify?app=api");
            assertThat(check.headers()).containsEntry("authorization", "Bearer good")
                    .containsEntry("x-forwarded-method", "GET").containsEntry("x-forwarded-uri", "/api/items?page=2")
                    .containsEntry("x-forwarded-host", "127.0.0.1:" + gateway.port());
            BackendHandlers.Seen forwarded = seen.poll(10, TimeUnit.SECONDS);
            assertThat(forwarded.headers()).as("the service's identity, never the client's")
                    .containsEntry("x-user", "alice").containsEntry("x-groups", "ops").doesNotContainKey("x-not-copied");

            HttpResponse<String> upload = send(gateway, "POST", "/api/items", "Bearer good", "{\"name\":\"x\"}");
            assertThat(upload.statusCode()).isEqualTo(200);
            assertThat(seen.poll(10, TimeUnit.SECONDS).body()).as("the body waits for the verdict").isEqualTo("{\"name\":\"x\"}");

            HttpResponse<String> refused = send(gateway, "GET", "/api/items", "Bearer bad", null, "X-User", "alice");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("www-authenticate")).contains("Bearer realm=\"api\"");
            assertThat(refused.body()).isEqualTo("{\"reason\":\"who are you\"}");
            HttpResponse<String> refusedUpload = send(gateway, "PUT", "/api/items/1", null, "x".repeat(100_000));
            assertThat(refusedUpload.statusCode()).isEqualTo(401);
            HttpResponse<String> login = send(gateway, "GET", "/api/items", "Bearer login", null);
            assertThat(login.statusCode()).isEqualTo(302);
            assertThat(login.headers().firstValue("location")).contains("https://login.example.com/?rd=x");
            assertThat(seen).as("nothing refused reached the target").isEmpty();
        }
    }

    @Test
    void anAuthServiceThatIsDownOrSilentIsA503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend silent = TestBackend.start(BackendHandlers::silent);
             TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "secret"));
             GatewayFixture gateway = GatewayFixture.start(dir,
                     route("/down/*", backend, "http://127.0.0.1:" + closedPort + "/verify", "2s")
                     + route("/silent/*", backend, silent.url() + "/verify", "500ms"))) {
            HttpResponse<String> down = send(gateway, "GET", "/down/x", "Bearer good", null);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("retry-after")).contains("1");
            long start = System.nanoTime();
            HttpResponse<String> slow = send(gateway, "GET", "/silent/x", "Bearer good", null);
            assertThat(slow.statusCode()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(seen).isEmpty();
            assertThat(send(gateway, "GET", "/silent/y", "Bearer good", null).statusCode())
                    .as("the next request is judged again, not let through").isEqualTo(503);
        }
    }
}
