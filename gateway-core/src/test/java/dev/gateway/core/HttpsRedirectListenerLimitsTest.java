package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.testkit.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain-HTTP listener of {@code redirect_from} is public traffic: held to [server]
 * header_timeout and idle_timeout, counted against [server] max_connections (and drained on
 * shutdown like the main listener's connections), requests of a bounded size; over raw sockets.
 */
class HttpsRedirectListenerLimitsTest {

    private static final String GET = "GET /a?b=1 HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @TempDir
    Path dir;

    private GatewayFixture start(String serverKeys) throws Exception {
        TestCertificates.write(dir);
        return GatewayFixture.start(dir, serverKeys + "\n" + TestCertificates.SERVER_TLS
                + "redirect_from = \"127.0.0.1:0\"\n", "");
    }

    private static RawConnection redirectRaw(GatewayFixture gateway) throws Exception {
        return new RawConnection("127.0.0.1", gateway.server.httpsRedirectAddress().getPort());
    }

    @Test
    void slowRequestHeadIsCutAtHeaderTimeout() throws Exception {
        try (GatewayFixture gateway = start("header_timeout = \"300ms\"\nidle_timeout = \"60s\"");
             RawConnection c = redirectRaw(gateway)) {
            c.send("GET / HTTP/1.1\r\nHost: localhost\r\n");
            assertThat(c.closedByPeer(10_000)).as("closed by header_timeout").isTrue();
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterIdleTimeout() throws Exception {
        try (GatewayFixture gateway = start("idle_timeout = \"300ms\"");
             RawConnection c = redirectRaw(gateway)) {
            RawConnection.Response response = c.send(GET).read();
            assertThat(response.status()).isEqualTo(308);
            assertThat(response.header("location")).isEqualTo("https://localhost:" + gateway.port() + "/a?b=1");
            assertThat(c.closedByPeer(10_000)).as("closed by idle_timeout").isTrue();
        }
    }

    @Test
    void headerTimeoutDoesNotCutIdleKeepAliveConnections() throws Exception {
        try (GatewayFixture gateway = start("header_timeout = \"200ms\"\nidle_timeout = \"60s\"");
             RawConnection c = redirectRaw(gateway)) {
            assertThat(c.send(GET).read().status()).isEqualTo(308);
            assertThat(c.closedByPeer(1_000)).as("still open after several header timeouts").isFalse();
            assertThat(c.send(GET).read().status()).isEqualTo(308);
        }
    }

    @Test
    void connectionsCountAgainstServerMaxConnections() throws Exception {
        try (GatewayFixture gateway = start("max_connections = 2");
             RawConnection first = redirectRaw(gateway);
             RawConnection second = redirectRaw(gateway)) {
            assertThat(first.send(GET).read().status()).isEqualTo(308);
            assertThat(second.send(GET).read().status()).isEqualTo(308);
            assertThat(gateway.server.openConnections()).isEqualTo(2);
            try (RawConnection third = redirectRaw(gateway)) {
                assertThat(third.closedByPeer(10_000)).as("third redirect connection").isTrue();
            }
            try (RawConnection main = gateway.raw()) {
                assertThat(main.closedByPeer(10_000)).as("main listener connection over the limit").isTrue();
            }
            first.close();
            Eventually.await("the closed connection no longer counts", () -> gateway.server.openConnections() == 1);
            assertThat(second.send(GET).read().status()).isEqualTo(308);
        }
    }

    @Test
    void requestBodyOverTheAggregationBoundIs413() throws Exception {
        try (GatewayFixture gateway = start("");
             RawConnection c = redirectRaw(gateway)) {
            RawConnection.Response response = c.send("POST / HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: " + (8 * 1024 + 1) + "\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(413);
        }
    }

    @Test
    void idleConnectionIsClosedAtOnceOnShutdown() throws Exception {
        GatewayFixture gateway = start("shutdown_timeout = \"60s\"");
        try (RawConnection idle = redirectRaw(gateway)) {
            assertThat(idle.send(GET).read().status()).isEqualTo(308);
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
                    () -> gateway.server.shutdown(Duration.ofSeconds(60)));
            assertThat(idle.closedByPeer(10_000)).as("idle redirect connection closed by the drain").isTrue();
            shutdown.get();
        } finally {
            gateway.close();
        }
    }
}
