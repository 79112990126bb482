package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request headers named with '_' are dropped unless {@code underscores_in_headers = true}: CGI-style
 * backends read {@code X_Forwarded_For} as {@code X-Forwarded-For}.
 */
class UnderscoredHeadersTest {

    @TempDir
    static Path dir;
    static final BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
    static TestBackend backend;
    static GatewayFixture dropping;
    static GatewayFixture keeping;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
        String routes = String.join("\n",
                "[[routes]]", "path = \"/limited/*\"", "targets = [\"" + backend.url() + "\"]",
                "rate_limit = { rate = 1, per = \"1h\", burst = 1, key = \"header:X_Api_Key\" }",
                "[[routes]]", "path = \"/*\"", "targets = [\"" + backend.url() + "\"]", "");
        dropping = GatewayFixture.start(Files.createDirectories(dir.resolve("dropping")), routes);
        keeping = GatewayFixture.start(Files.createDirectories(dir.resolve("keeping")),
                "underscores_in_headers = true\n", routes);
    }

    @AfterAll
    static void stop() {
        dropping.close();
        keeping.close();
        backend.close();
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    private static BackendHandlers.Seen forwarded(GatewayFixture gateway, String rawRequest) throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send(rawRequest).read();
            assertThat(response.status()).as(response.statusLine()).isEqualTo(200);
        }
        BackendHandlers.Seen request = seen.poll(10, TimeUnit.SECONDS);
        assertThat(request).as("backend saw the request").isNotNull();
        return request;
    }

    private static final String WITH_UNDERSCORES = "GET /x HTTP/1.1\r\nHost: e\r\nX_Forwarded_For: 6.6.6.6\r\n"
            + "X_Custom: 1\r\nX-Custom: 2\r\nx_real_ip: 6.6.6.6\r\nContent_Length: 5\r\n\r\n";

    @Test
    void headersNamedWithAnUnderscoreAreDroppedByDefault() throws Exception {
        BackendHandlers.Seen request = forwarded(dropping, WITH_UNDERSCORES);

        assertThat(request.headers()).doesNotContainKeys("x_forwarded_for", "x_custom", "x_real_ip", "content_length");
        assertThat(request.headers()).containsEntry("x-custom", "2").containsEntry("x-forwarded-for", "127.0.0.1");
    }

    @Test
    void aDroppedHeaderIsNotARateLimitKey() throws Exception {
        String request = "GET /limited/x HTTP/1.1\r\nHost: e\r\nX_Api_Key: %s\r\n\r\n";
        try (RawConnection c = dropping.raw()) {
            assertThat(c.send(String.format(request, "first")).read().status()).isEqualTo(200);
            assertThat(c.send(String.format(request, "second")).read().status())
                    .as("both without the key: one bucket for the client address").isEqualTo(429);
        }
    }

    @Test
    void underscoresInHeadersTrueKeepsThem() throws Exception {
        BackendHandlers.Seen request = forwarded(keeping, WITH_UNDERSCORES);

        assertThat(request.headers()).containsEntry("x_custom", "1").containsEntry("x-custom", "2")
                .containsEntry("x_forwarded_for", "6.6.6.6");
    }
}
