package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.testkit.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** header_timeout (slowloris), idle_timeout and max_connections. */
class ConnectionLimitsTest {

    @TempDir
    Path dir;

    private GatewayFixture start(String serverKeys) throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "ok");
        return GatewayFixture.start(dir, serverKeys, "[static]\nroot = \"public\"\n");
    }

    @Test
    void slowRequestHeadIsCutAtHeaderTimeout() throws Exception {
        try (GatewayFixture gateway = start("header_timeout = \"300ms\"\nidle_timeout = \"60s\"");
             RawConnection c = gateway.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n");
            assertThat(c.closedByPeer(20_000)).as("closed by header_timeout").isTrue();
        }
    }

    @Test
    void headerTimeoutDoesNotCutIdleKeepAliveConnections() throws Exception {
        try (GatewayFixture gateway = start("header_timeout = \"200ms\"\nidle_timeout = \"60s\"");
             RawConnection c = gateway.raw()) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(c.closedByPeer(1_000)).as("still open after several header timeouts").isFalse();
            assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterIdleTimeout() throws Exception {
        try (GatewayFixture gateway = start("idle_timeout = \"300ms\"");
             RawConnection c = gateway.raw()) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(c.closedByPeer(20_000)).as("closed by idle_timeout").isTrue();
        }
    }

    @Test
    void connectionsOverMaxConnectionsAreClosedAtOnce() throws Exception {
        try (GatewayFixture gateway = start("max_connections = 2");
             RawConnection first = gateway.raw();
             RawConnection second = gateway.raw()) {
            Eventually.await("two connections registered", () -> gateway.server.openConnections() == 2);
            try (RawConnection third = gateway.raw()) {
                assertThat(third.closedByPeer(10_000)).isTrue();
            }
            assertThat(first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(second.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }
}
