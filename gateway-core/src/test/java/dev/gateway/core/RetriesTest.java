package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries happen only when docs/architecture.md ("Retries") allows them, and go to another target. */
class RetriesTest {

    @TempDir
    Path dir;

    private GatewayFixture gateway(String routeKeys, String... targets) throws Exception {
        return GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\n" + routeKeys + "\ntargets = [\""
                + String.join("\", \"", targets) + "\"]\n");
    }

    private static String deadTarget() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void refusedConnectionIsRetriedOnTheOtherTargetEvenForPost() throws Exception {
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend alive = TestBackend.start(() -> BackendHandlers.recording(seen, "alive"));
             GatewayFixture gateway = gateway("retries = 1", deadTarget(), alive.url())) {
            for (int i = 0; i < 6; i++) {
                try (RawConnection c = gateway.raw()) {
                    RawConnection.Response response = c.send("POST /x HTTP/1.1\r\nHost: e\r\nContent-Length: 2\r\n\r\nhi").read();
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo("alive");
                }
            }
            assertThat(seen).hasSize(6).allSatisfy(s -> assertThat(s.body()).isEqualTo("hi"));
        }
    }

    @Test
    void getWhoseTargetDroppedTheConnectionIsRetriedElsewhere() throws Exception {
        try (TestBackend dropping = TestBackend.start(BackendHandlers::closeWithoutAnswer);
             TestBackend alive = TestBackend.start(() -> BackendHandlers.ok("alive"));
             GatewayFixture gateway = gateway("retries = 1", dropping.url(), alive.url())) {
            // Four requests: two meet the dropping target first, within the retry budget's initial tokens.
            for (int i = 0; i < 4; i++) {
                assertThat(gateway.get("/x").body()).isEqualTo("alive");
            }
        }
    }

    @Test
    void postWhoseBodyReachedTheTargetIsNeverRetried() throws Exception {
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend dropping = TestBackend.start(BackendHandlers::closeWithoutAnswer);
             TestBackend alive = TestBackend.start(() -> BackendHandlers.recording(seen, "alive"));
             GatewayFixture gateway = gateway("retries = 3", dropping.url(), alive.url())) {
            int failures = 0;
            for (int i = 0; i < 6; i++) {
                try (RawConnection c = gateway.raw()) {
                    RawConnection.Response response = c.send("POST /x HTTP/1.1\r\nHost: e\r\nContent-Length: 2\r\n\r\nhi").read();
                    if (response.status() == 502) {
                        failures++;
                    } else {
                        assertThat(response.body()).isEqualTo("alive");
                    }
                }
            }
            assertThat(failures).as("round robin sends half of the POSTs to the dropping target").isEqualTo(3);
            assertThat(seen).as("none of them was replayed to the other target").hasSize(3);
        }
    }

    @Test
    void retriesZeroMeansOneAttempt() throws Exception {
        try (TestBackend dropping = TestBackend.start(BackendHandlers::closeWithoutAnswer);
             TestBackend alive = TestBackend.start(() -> BackendHandlers.ok("alive"));
             GatewayFixture gateway = gateway("retries = 0", dropping.url(), alive.url())) {
            int failures = 0;
            for (int i = 0; i < 6; i++) {
                if (gateway.get("/x").statusCode() == 502) {
                    failures++;
                }
            }
            assertThat(failures).isEqualTo(3);
        }
    }
}
