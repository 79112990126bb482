package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.proxy.websocket.WebSocketMetrics;
import dev.gateway.testkit.Eventually;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many WebSockets at once through one gateway: each keeps its own conversation. About 4,000 file
 * descriptors in this JVM (client, both gateway sides, backend), well under the usual limits.
 */
class WebSocketConcurrencyTest {

    private static final int CONNECTIONS = 1000;
    /** Opened in batches so the accept queues (1024 at the gateway) never overflow. */
    private static final int BATCH = 100;

    @TempDir
    Path dir;

    @Test
    void aThousandConcurrentConnectionsEachExchangeMessages() throws Exception {
        WebSocketEcho echo = new WebSocketEcho("echo");
        try (TestBackend backend = TestBackend.start(echo::handler);
             GatewayFixture gateway = GatewayFixture.start(dir, """
                     [[routes]]
                     name = "chat"
                     path = "/ws/*"
                     targets = ["%s"]
                     websocket = true
                     """.formatted(backend.url()))) {
            URI uri = URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/chat");
            List<WebSocketProbe> probes = new ArrayList<>(CONNECTIONS);
            for (int start = 0; start < CONNECTIONS; start += BATCH) {
                List<CompletableFuture<WebSocketProbe>> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    batch.add(WebSocketProbe.connect(gateway.client, uri));
                }
                for (CompletableFuture<WebSocketProbe> probe : batch) {
                    probes.add(probe.get(60, TimeUnit.SECONDS));
                }
            }
            WebSocketMetrics.Counts route = gateway.server.webSockets().byRoute().get("chat");
            assertThat(route.open()).isEqualTo(CONNECTIONS);

            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    probes.get(i).socket.sendText("message " + round + " on " + i, true);
                }
                for (int i = 0; i < CONNECTIONS; i++) {
                    assertThat(probes.get(i).next()).isEqualTo("message " + round + " on " + i);
                }
            }

            probes.forEach(probe -> probe.socket.abort());
            Eventually.await("all tunnels closed", Duration.ofSeconds(60), () -> route.open() == 0);
            Eventually.await("all client connections closed", Duration.ofSeconds(60),
                    () -> gateway.server.openConnections() == 0);
        }
    }
}
