package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP-version token of the request line (RFC 9112 §2.3, RFC 9110 §2.5), over raw sockets to a proxy route. */
class StrictRequestLineTest {

    @TempDir
    static Path dir;
    static final BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
    static TestBackend backend;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
        gateway = GatewayFixture.start(dir, String.join("\n",
                "[[routes]]", "path = \"/*\"", "targets = [\"" + backend.url() + "\"]", ""));
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

    private static void rejectedAndClosed(String version, int expectedStatus) throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET /x " + version + "\r\nHost: e\r\n\r\n").read();
            assertThat(response.status()).as("%s answered with %s", version, response.statusLine())
                    .isEqualTo(expectedStatus);
            assertThat(response.header("x-request-id")).isNotBlank();
            assertThat(c.closedByPeer(10_000)).as("connection closed after %s", version).isTrue();
        }
        assertThat(seen).as("nothing reached the target").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/3.0", "HTTP/0.9", "HTTP/2.1", "HTTP/9.9"})
    void wellFormedVersionsOtherThanHttp1Are505(String version) throws Exception {
        rejectedAndClosed(version, 505);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "Http/1.1", "HTTP/1", "FOO/1.1", "HTTPS/1.1", "HTTP/11.1", "HTTP/1.10",
        "HTTP/1.1x", "HTTP/a.b", "HTTP/1.", "HTTP/"})
    void malformedVersionsAre400(String version) throws Exception {
        rejectedAndClosed(version, 400);
    }

    @Test
    void http2PriorKnowledgePrefaceIs505() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(505);
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
        assertThat(seen).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.2", "HTTP/1.9"})
    void higherHttp1MinorVersionsAreServedAsHttp11(String version) throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response first = c.send("GET /first " + version + "\r\nHost: e\r\n\r\n").read();
            assertThat(first.statusLine()).startsWith("HTTP/1.1 200");
            assertThat(first.header("connection")).as("kept alive like HTTP/1.1").isNull();
            RawConnection.Response second = c.send("GET /second " + version + "\r\nHost: e\r\n\r\n").read();
            assertThat(second.status()).isEqualTo(200);
        }
        BackendHandlers.Seen request = seen.poll(10, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.uri()).isEqualTo("/first");
    }

    @Test
    void exactHttp10AndHttp11AreServed() throws Exception {
        try (RawConnection c = gateway.raw()) {
            assertThat(c.send("GET /a HTTP/1.1\r\nHost: e\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(c.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().status()).isEqualTo(200);
        }
    }
}
