package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gateway.config.load.ConfigLoader;
import dev.gateway.core.logging.AccessLog;
import dev.gateway.testkit.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * HTTP/2 towards clients, with real clients: the JDK's HttpClient and curl (Debian's is built with
 * nghttp2). Every stream goes through the same request lifecycle as an HTTP/1.1 request: routes,
 * static files, proxying, request ids, the access log.
 */
class Http2ClientsTest {

    @TempDir
    Path dir;

    private HttpClient trustingClient() throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TlsListenerTest.trustAll())
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private String config(TestBackend backend) {
        return "[static]\nroot = \"public\"\n"
                + "[[routes]]\nname = \"api\"\npath = \"/api/*\"\ntargets = [\"" + backend.url() + "\"]\n";
    }

    private byte[] site() throws IOException {
        Files.createDirectories(dir.resolve("public"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new SecureRandom().nextBytes(big);
        Files.write(dir.resolve("public/big.bin"), big);
        Files.writeString(dir.resolve("public/index.html"), "<h1>hello</h1>");
        return big;
    }

    @Test
    void tlsClientsGetHttp2ByAlpnForStaticFilesAndProxiedRequests() throws Exception {
        TestCertificates.write(dir);
        byte[] big = site();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("from the target"));
             GatewayFixture gateway = GatewayFixture.start(dir, TestCertificates.SERVER_TLS, config(backend))) {
            HttpClient client = trustingClient();
            String base = "https://localhost:" + gateway.port();
            HttpResponse<byte[]> file = client.send(HttpRequest.newBuilder(URI.create(base + "/big.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo(big);
            assertThat(file.headers().firstValue("x-request-id")).isPresent();

            HttpResponse<String> range = client.send(HttpRequest.newBuilder(URI.create(base + "/big.bin"))
                    .header("Range", "bytes=10-19").build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(java.util.Arrays.copyOfRange(big, 10, 20));

            HttpResponse<String> proxied = client.send(HttpRequest.newBuilder(URI.create(base + "/api/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(proxied.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(proxied.body()).isEqualTo("from the target");
            assertThat(proxied.headers().map()).doesNotContainKeys("connection", "keep-alive", "transfer-encoding");
        }
    }

    @Test
    void manyStreamsShareOneConnection() throws Exception {
        TestCertificates.write(dir);
        site();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, TestCertificates.SERVER_TLS, config(backend))) {
            HttpClient client = trustingClient();
            // the first exchange carries the gateway's SETTINGS (100 concurrent streams) to the client
            assertThat(client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + "/api/first"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 90; i++) { // the JDK client fails, rather than waits, past the server's 100
                responses.add(client.sendAsync(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + gateway.port() + "/api/" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                assertThat(response.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(gateway.server.openConnections()).as("one multiplexed connection").isEqualTo(1);
        }
    }

    @Test
    void http2CanBeTurnedOffForTls() throws Exception {
        TestCertificates.write(dir);
        site();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, "http2 = false\n" + TestCertificates.SERVER_TLS,
                     config(backend))) {
            HttpResponse<String> response = trustingClient().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + gateway.port() + "/index.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(response.body()).isEqualTo("<h1>hello</h1>");
        }
    }

    @Test
    void curlSpeaksHttp2OverTlsAndWithPriorKnowledgeWhileHttp11StillWorks() throws Exception {
        assumeTrue(curlHasHttp2(), "curl with HTTP/2 support is not installed (Debian: apt-get install curl)");
        TestCertificates.write(dir);
        site();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("from the target"));
             GatewayFixture tls = GatewayFixture.start(dir, TestCertificates.SERVER_TLS, config(backend))) {
            Curl https = Curl.run("-sk", "--http2", "-D", "-", "https://localhost:" + tls.port() + "/api/x");
            assertThat(https.out).startsWith("HTTP/2 200").contains("from the target");
        }
        Path plainDir = Files.createDirectories(dir.resolve("plain"));
        Files.createDirectories(plainDir.resolve("public"));
        Files.writeString(plainDir.resolve("public/index.html"), "<h1>hello</h1>");
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("from the target"));
             GatewayFixture h2c = GatewayFixture.start(plainDir, "h2c = true\n", config(backend))) {
            String url = "http://127.0.0.1:" + h2c.port();
            Curl prior = Curl.run("-s", "--http2-prior-knowledge", "-D", "-", url + "/api/x");
            assertThat(prior.out).startsWith("HTTP/2 200").contains("from the target");
            Curl http11 = Curl.run("-s", "--http1.1", "-D", "-", url + "/index.html");
            assertThat(http11.out).startsWith("HTTP/1.1 200").contains("<h1>hello</h1>");
            Curl upgrade = Curl.run("-s", "--http2", "-D", "-", url + "/index.html"); // asks with Upgrade: h2c
            assertThat(upgrade.out).as("Upgrade: h2c is not honoured").startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void theAccessLogSaysHttp2() throws Exception {
        TestCertificates.write(dir);
        site();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Logger accessLogger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
        accessLogger.addAppender(lines);
        Path file = dir.resolve("logged.toml");
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("ok"))) {
            Files.writeString(file, "[server]\nlisten = \"127.0.0.1:0\"\n" + TestCertificates.SERVER_TLS
                    + "[admin]\nlisten = \"127.0.0.1:0\"\n[logging]\naccess_log = \"stdout\"\n" + config(backend));
            try (GatewayFixture gateway = GatewayFixture.of(dir, GatewayServer.start(ConfigLoader.load(file, Map.of())))) {
                trustingClient().send(HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port()
                        + "/api/logged")).build(), HttpResponse.BodyHandlers.ofString());
                Eventually.await("the access line", () -> List.copyOf(lines.list).stream()
                        .anyMatch(line -> line.getFormattedMessage().contains("/api/logged")));
                assertThat(List.copyOf(lines.list)).anySatisfy(line -> assertThat(line.getFormattedMessage())
                        .contains("/api/logged").contains("\"protocol\":\"HTTP/2.0\""));
            }
        } finally {
            accessLogger.detachAppender(lines);
        }
    }

    static boolean curlHasHttp2() {
        try {
            return Curl.run("-V").out.contains("HTTP2");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** One run of the curl command line tool. */
    record Curl(int exit, String out) {
        static Curl run(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add("curl");
            command.add("--max-time");
            command.add("30");
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            process.waitFor(60, TimeUnit.SECONDS);
            return new Curl(process.exitValue(), new String(out, StandardCharsets.ISO_8859_1));
        }
    }
}
