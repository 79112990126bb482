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

/** TRACE is refused unless a route names it (RFC 9110 §9.3.8: it would reflect credentials). */
class TraceMethodTest {

    @TempDir
    static Path dir;
    static final BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
    static TestBackend backend;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("site"));
        Files.writeString(dir.resolve("site/index.html"), "<h1>site</h1>");
        backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
        String targets = "targets = [\"" + backend.url() + "\"]";
        gateway = GatewayFixture.start(dir, String.join("\n",
                "[[routes]]", "path = \"/any/*\"", targets,
                "[[routes]]", "path = \"/traced/*\"", "methods = [\"GET\", \"TRACE\"]", targets,
                "[[routes]]", "path = \"/moved/*\"", "redirect = \"/any/\"",
                "[[routes]]", "path = \"/site/*\"", "static = \"site\"",
                ""));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    @Test
    void traceOnARouteWithoutAMethodListIs405AndNeverForwarded() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("TRACE /any/x HTTP/1.1\r\nHost: e\r\n"
                    + "Cookie: session=secret\r\nAuthorization: Bearer secret\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("allow")).contains("GET").doesNotContain("TRACE");
            assertThat(response.body()).doesNotContain("secret").doesNotContain("Cookie");
            assertThat(response.header("content-type")).isEqualTo("application/json");
            assertThat(c.send("GET /any/y HTTP/1.1\r\nHost: e\r\n\r\n").read().status())
                    .as("connection kept for the next request").isEqualTo(200);
        }
        BackendHandlers.Seen first = seen.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.method()).isEqualTo("GET");
        assertThat(seen).isEmpty();
    }

    @Test
    void traceOnARedirectRouteIs405() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("TRACE /moved/x HTTP/1.1\r\nHost: e\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("allow")).doesNotContain("TRACE");
        }
    }

    @Test
    void traceOnAStaticRouteIs405() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("TRACE /site/index.html HTTP/1.1\r\nHost: e\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.body()).doesNotContain("TRACE /site");
        }
    }

    @Test
    void traceIsForwardedWhenTheRouteNamesIt() throws Exception {
        try (RawConnection c = gateway.raw()) {
            assertThat(c.send("TRACE /traced/x HTTP/1.1\r\nHost: e\r\n\r\n").read().status()).isEqualTo(200);
        }
        BackendHandlers.Seen request = seen.poll(10, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.method()).isEqualTo("TRACE");
    }
}
