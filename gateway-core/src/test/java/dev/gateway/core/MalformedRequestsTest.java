package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Limits and ambiguous framing (docs/configuration.md, "Status codes the gateway produces"), sent over raw sockets. */
class MalformedRequestsTest {

    @TempDir
    static Path dir;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "<h1>home</h1>");
        gateway = GatewayFixture.start(dir, "max_initial_line = 1024\nmax_header_size = 2048\nmax_body_size = 100\n",
                "[static]\nroot = \"public\"\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static RawConnection.Response rejectAndClose(String request, int expectedStatus) throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send(request).read();
            assertThat(response.status()).as(response.statusLine()).isEqualTo(expectedStatus);
            assertThat(response.header("x-request-id")).isNotBlank();
            assertThat(c.closedByPeer(10_000)).as("connection closed after %s", expectedStatus).isTrue();
            return response;
        }
    }

    @Test
    void requestLineOverTheLimitIs414() throws Exception {
        rejectAndClose("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        rejectAndClose("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(4000) + "\r\n\r\n", 431);
    }

    @Test
    void contentLengthWithTransferEncodingIs400() throws Exception {
        rejectAndClose("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    }

    @Test
    void differingContentLengthsAre400() throws Exception {
        rejectAndClose("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400);
    }

    @Test
    void transferEncodingOtherThanChunkedIs400() throws Exception {
        rejectAndClose("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 400);
    }

    @Test
    void badChunkSizeClosesTheConnection() throws Exception {
        // Answered locally (404) before the body is read; the bad chunk then ends the connection.
        try (RawConnection c = gateway.raw()) {
            c.send("POST /nothing HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
            assertThat(c.read().status()).isIn(404, 405);
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }

    @Test
    void missingHostOnHttp11Is400() throws Exception {
        rejectAndClose("GET / HTTP/1.1\r\n\r\n", 400);
    }

    @Test
    void severalHostHeadersAre400() throws Exception {
        rejectAndClose("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    }

    /** RFC 3986 §3.2.2-3: reg-name, IPv4 or a bracketed IPv6 literal, then an optional port of digits up to 65535. */
    @ParameterizedTest
    @ValueSource(strings = {"[::1", "::1]", "a]b", "a[b", "[::1]x", "[::1]]", "[[::1]]", "[not-ipv6]", "[v1.fe]",
        "[::1:80", "[]", "a.example:99999x", "a.example:99999", "a.example:65536", "a.example:-1", "a.example:",
        "a.example:8a", ":80", "a:b:c", "::1", "a b", "a%zz", "a%4", "a@b", "a/b", "a\\b", "a?b", "a#b", "\"a\""})
    void malformedHostIs400(String host) throws Exception {
        rejectAndClose("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "EXAMPLE.com:8080", "127.0.0.1", "127.0.0.1:65535", "[::1]", "[::1]:8080",
        "[2001:db8::10]:443", "[::ffff:192.0.2.1]", "my_service:80", "a-b.c~d", "%41.example", "localhost:0",
        "x:00080"})
    void wellFormedHostIsServed(String host) throws Exception {
        try (RawConnection c = gateway.raw()) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void emptyHostOnHttp10IsServed() throws Exception {
        try (RawConnection c = gateway.raw()) {
            assertThat(c.send("GET / HTTP/1.0\r\nHost: \r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void garbageRequestLineIs400() throws Exception {
        rejectAndClose("HELLO\r\n\r\n", 400);
    }

    @Test
    void pathClimbingAboveRootIs400() throws Exception {
        rejectAndClose("GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    @Test
    void contentLengthOverMaxBodySizeIs413() throws Exception {
        rejectAndClose("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", 413);
    }

    @Test
    void chunkedBodyOverMaxBodySizeClosesTheConnection() throws Exception {
        // The static site answers before reading the body; the body is then drained up to the limit.
        String chunk = "a".repeat(80);
        try (RawConnection c = gateway.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "50\r\n" + chunk + "\r\n50\r\n" + chunk + "\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(405);
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }

    @Test
    void unsupportedExpectationIs417() throws Exception {
        rejectAndClose("GET / HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\n\r\n", 417);
    }

    @Test
    void bodyUnderTheLimitIsReadAndTheConnectionKeptAlive() throws Exception {
        try (RawConnection c = gateway.raw()) {
            c.send("POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.read().status()).isEqualTo(405);
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawConnection.Response second = c.read();
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("<h1>home</h1>");
        }
    }
}
