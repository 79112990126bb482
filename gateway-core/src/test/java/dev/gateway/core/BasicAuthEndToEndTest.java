package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * basic_auth through a real gateway with an htpasswd file made by {@code htpasswd -B} (Debian's
 * apache2-utils): 401 with the challenge, the Authorization header kept from the target unless
 * forward_authorization, hostile headers, a flood of wrong passwords, and a reload with new users.
 */
class BasicAuthEndToEndTest {

    @TempDir
    Path dir;

    @BeforeEach
    void htpasswdIsInstalled() {
        assumeTrue(ExternalTools.find("htpasswd").isPresent(),
                "htpasswd is not installed (Debian package apache2-utils): no bcrypt htpasswd file to test with");
    }

    private void htpasswd(String file, String user, String password) throws Exception {
        List<String> command = new ArrayList<>(List.of("htpasswd", "-B", "-C", "5", "-b"));
        if (!Files.exists(dir.resolve(file))) {
            command.add("-c");
        }
        command.addAll(List.of(dir.resolve(file).toString(), user, password));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(GatewayFixture gateway, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return gateway.send(request.build());
    }

    private static String routes(TestBackend backend) {
        return "[[routes]]\npath = \"/ops/*\"\ntargets = [\"" + backend.url() + "\"]\n"
                + "basic_auth = { users = \"users\", realm = \"ops\" }\n"
                + "[[routes]]\npath = \"/pass/*\"\ntargets = [\"" + backend.url() + "\"]\n"
                + "basic_auth = { users = \"users\", realm = \"pass\", forward_authorization = true }\n";
    }

    @Test
    void credentialsAreCheckedAndNotForwarded() throws Exception {
        htpasswd("users", "alice", "s3cret:with colon");
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, routes(backend))) {
            HttpResponse<String> none = get(gateway, "/ops/x", null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("www-authenticate")).contains("Basic realm=\"ops\", charset=\"UTF-8\"");
            assertThat(none.body()).contains("\"error\":\"Unauthorized\"");
            assertThat(get(gateway, "/ops/x", basic("alice", "wrong")).statusCode()).isEqualTo(401);
            assertThat(get(gateway, "/ops/x", basic("mallory", "s3cret:with colon")).statusCode()).isEqualTo(401);
            assertThat(seen).isEmpty();

            for (int i = 0; i < 3; i++) { // the first is checked by bcrypt, the others come from the cache
                assertThat(get(gateway, "/ops/x", basic("alice", "s3cret:with colon")).statusCode()).isEqualTo(200);
                assertThat(seen.poll(10, TimeUnit.SECONDS).headers()).doesNotContainKey("authorization");
            }
            assertThat(get(gateway, "/pass/x", basic("alice", "s3cret:with colon")).statusCode()).isEqualTo(200);
            assertThat(seen.poll(10, TimeUnit.SECONDS).headers())
                    .containsEntry("authorization", basic("alice", "s3cret:with colon"));
        }
    }

    @Test
    void hostileAuthorizationHeadersAreJust401s() throws Exception {
        htpasswd("users", "alice", "pw");
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, routes(backend))) {
            String huge = "Basic " + Base64.getEncoder().encodeToString(("alice:" + "x".repeat(6000)).getBytes(StandardCharsets.UTF_8));
            for (String header : new String[] {huge, "Basic !!!notbase64", "Basic", "Bearer abc", "basic "
                    + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)),
                    "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', 'p', 'w'})}) {
                assertThat(get(gateway, "/ops/x", header).statusCode()).as(header.substring(0, Math.min(20, header.length())))
                        .isEqualTo(401);
            }
            assertThat(get(gateway, "/ops/x", "bAsIc " + basic("alice", "pw").substring(6)).statusCode())
                    .as("the scheme is case-insensitive (RFC 7617 §2)").isEqualTo(200);
        }
    }

    @Test
    void aFloodOfWrongPasswordsIsAnsweredWithoutTyingUpTheEventLoops() throws Exception {
        htpasswd("users", "alice", "pw");
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, routes(backend) + "[[routes]]\npath = \"/free\"\n"
                     + "targets = [\"" + backend.url() + "\"]\n")) {
            List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                flood.add(gateway.client.sendAsync(HttpRequest.newBuilder(gateway.uri("/ops/x"))
                        .header("Authorization", basic("alice", "guess" + i)).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            assertThat(get(gateway, "/free", null).statusCode()).as("other routes answer meanwhile").isEqualTo(200);
            for (CompletableFuture<HttpResponse<String>> response : flood) {
                assertThat(response.get(60, TimeUnit.SECONDS).statusCode()).isIn(401, 503);
            }
        }
    }

    @Test
    void aReloadReadsTheHtpasswdFileAgain() throws Exception {
        htpasswd("users", "alice", "pw");
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, routes(backend))) {
            assertThat(get(gateway, "/ops/x", basic("bob", "pw2")).statusCode()).isEqualTo(401);
            htpasswd("users", "bob", "pw2");
            htpasswd("users", "alice", "changed");
            assertThat(gateway.reload().applied()).isTrue();
            assertThat(get(gateway, "/ops/x", basic("bob", "pw2")).statusCode()).isEqualTo(200);
            assertThat(get(gateway, "/ops/x", basic("alice", "pw")).statusCode()).isEqualTo(401);
        }
    }
}
