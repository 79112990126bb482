package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.testkit.Eventually;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM behaviour: stop accepting, let in-flight requests finish within shutdown_timeout, close idle ones. */
class GracefulShutdownTest {

    @TempDir
    Path dir;

    private GatewayFixture start() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "ok");
        return GatewayFixture.start(dir, "[static]\nroot = \"public\"\n");
    }

    @Test
    void inFlightRequestFinishesAndIdleConnectionsCloseDuringShutdown() throws Exception {
        GatewayFixture gateway = start();
        int port = gateway.port();
        try (RawConnection busy = gateway.raw(); RawConnection idle = gateway.raw()) {
            // The response goes out at once, but the exchange lasts until the body has been read.
            busy.send("POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello");
            assertThat(busy.read().status()).isEqualTo(405);
            Eventually.await("both connected", () -> gateway.server.openConnections() == 2);

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> gateway.server.shutdown(Duration.ofSeconds(30)));
            assertThat(idle.closedByPeer(10_000)).as("idle connection closed at once").isTrue();
            Eventually.await("listener closed", () -> !canConnect(port));
            assertThat(shutdown).isNotDone();

            busy.send("world");
            assertThat(busy.closedByPeer(10_000)).as("busy connection closed after its exchange").isTrue();
            shutdown.get();
        }
    }

    @Test
    void shutdownTimeoutClosesWhatIsStillInFlight() throws Exception {
        GatewayFixture gateway = start();
        try (RawConnection stuck = gateway.raw()) {
            stuck.send("POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello");
            assertThat(stuck.read().status()).isEqualTo(405);
            long started = System.nanoTime();
            gateway.server.shutdown(Duration.ofMillis(300));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            assertThat(stuck.closedByPeer(10_000)).isTrue();
        }
    }

    private static boolean canConnect(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
