package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener is held to [server] header_timeout and idle_timeout, to its own
 * [admin] max_connections, and reads requests of a bounded size; over raw sockets.
 */
class AdminListenerLimitsTest {

    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @TempDir
    Path dir;

    private GatewayFixture start(String serverKeys, String adminKeys) throws Exception {
        return GatewayFixture.start(dir, serverKeys, adminKeys, "");
    }

    @Test
    void slowRequestHeadIsCutAtHeaderTimeout() throws Exception {
        try (GatewayFixture gateway = start("header_timeout = \"300ms\"\nidle_timeout = \"60s\"", "");
             RawConnection c = gateway.adminRaw()) {
            c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            assertThat(c.closedByPeer(10_000)).as("closed by header_timeout").isTrue();
        }
    }

    @Test
    void slowRequestBodyIsCutAtHeaderTimeout() throws Exception {
        // The admin listener reads each request whole: header_timeout covers its (small) body too.
        try (GatewayFixture gateway = start("header_timeout = \"300ms\"\nidle_timeout = \"60s\"", "");
             RawConnection c = gateway.adminRaw()) {
            c.send("POST /reload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nhello");
            assertThat(c.closedByPeer(10_000)).as("closed by header_timeout").isTrue();
            assertThat(gateway.server.reloadStats().succeeded()).isZero();
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterIdleTimeout() throws Exception {
        try (GatewayFixture gateway = start("idle_timeout = \"300ms\"", "");
             RawConnection c = gateway.adminRaw()) {
            assertThat(c.send(HEALTH).read().status()).isEqualTo(200);
            assertThat(c.closedByPeer(10_000)).as("closed by idle_timeout").isTrue();
        }
    }

    @Test
    void headerTimeoutDoesNotCutIdleKeepAliveConnections() throws Exception {
        try (GatewayFixture gateway = start("header_timeout = \"200ms\"\nidle_timeout = \"60s\"", "");
             RawConnection c = gateway.adminRaw()) {
            assertThat(c.send(HEALTH).read().status()).isEqualTo(200);
            assertThat(c.closedByPeer(1_000)).as("still open after several header timeouts").isFalse();
            assertThat(c.send(HEALTH).read().status()).isEqualTo(200);
        }
    }

    @Test
    void connectionsOverAdminMaxConnectionsAreClosedAtOnce() throws Exception {
        try (GatewayFixture gateway = start("", "max_connections = 2");
             RawConnection first = gateway.adminRaw();
             RawConnection second = gateway.adminRaw()) {
            assertThat(first.send(HEALTH).read().status()).isEqualTo(200);
            assertThat(second.send(HEALTH).read().status()).isEqualTo(200);
            try (RawConnection third = gateway.adminRaw()) {
                assertThat(third.closedByPeer(10_000)).as("third admin connection").isTrue();
            }
            assertThat(gateway.server.openConnections()).as("the main listener's count").isZero();
            try (RawConnection main = gateway.raw()) {
                assertThat(main.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(404);
            }
            assertThat(first.send(HEALTH).read().status()).isEqualTo(200);
        }
    }

    @Test
    void aClosedConnectionFreesItsPlace() throws Exception {
        try (GatewayFixture gateway = start("", "max_connections = 1")) {
            try (RawConnection first = gateway.adminRaw()) {
                assertThat(first.send(HEALTH).read().status()).isEqualTo(200);
            }
            dev.gateway.testkit.Eventually.await("a new admin connection is served", () -> {
                try (RawConnection next = gateway.adminRaw()) {
                    return next.send(HEALTH).read().status() == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void requestHeadOverTheBoundIs431AndTheConnectionClosed() throws Exception {
        try (GatewayFixture gateway = start("", "");
             RawConnection c = gateway.adminRaw()) {
            RawConnection.Response response = c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                    + "b".repeat(10_000) + "\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(431);
            assertThat(response.header("content-type")).isEqualTo("application/json");
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }

    @Test
    void missingOrSeveralHostHeadersOnHttp11Are400AndTheConnectionClosed() throws Exception {
        try (GatewayFixture gateway = start("", "")) {
            for (String request : new String[] {"GET /health HTTP/1.1\r\n\r\n",
                    "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: localhost\r\n\r\n"}) {
                try (RawConnection c = gateway.adminRaw()) {
                    assertThat(c.send(request).read().status()).as(request).isEqualTo(400);
                    assertThat(c.closedByPeer(10_000)).as(request).isTrue();
                }
            }
        }
    }

    @Test
    void requestBodyOverTheAggregationBoundIs413() throws Exception {
        try (GatewayFixture gateway = start("", "");
             RawConnection c = gateway.adminRaw()) {
            RawConnection.Response response = c.send("POST /reload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: " + (64 * 1024 + 1) + "\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(gateway.server.reloadStats().succeeded()).isZero();
        }
    }
}
