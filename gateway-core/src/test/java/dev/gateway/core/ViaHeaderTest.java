package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Via} (RFC 9110 §7.6.3) on forwarded requests and relayed responses, never on the gateway's own. */
class ViaHeaderTest {

    @TempDir
    static Path dir;
    static final BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
    static TestBackend backend;
    static GatewayFixture gateway;
    static int deadPort;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) -> {
            seen.add(new BackendHandlers.Seen(request.method().name(), request.uri(),
                    Map.of("via", String.join("|", request.headers().getAll("Via"))), ""));
            FullHttpResponse response = BackendHandlers.text(HttpResponseStatus.OK, "ok");
            if (request.uri().startsWith("/with-via")) {
                response.headers().add("Via", "1.1 cdn").add("Via", "1.0 origin-cache");
            }
            ctx.writeAndFlush(response);
        }));
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        gateway = GatewayFixture.start(Files.createDirectories(dir.resolve("default")), routes());
    }

    private static String routes() {
        return String.join("\n",
                "[[routes]]", "path = \"/dead/*\"", "targets = [\"http://127.0.0.1:" + deadPort + "\"]",
                "[[routes]]", "path = \"/*\"", "targets = [\"" + backend.url() + "\"]", "");
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

    private static RawConnection.Response exchange(GatewayFixture through, String rawRequest) throws Exception {
        try (RawConnection c = through.raw()) {
            return c.send(rawRequest).read();
        }
    }

    private static String viaAtTheTarget() throws InterruptedException {
        BackendHandlers.Seen request = seen.poll(10, TimeUnit.SECONDS);
        assertThat(request).as("backend saw the request").isNotNull();
        return request.headers().get("via");
    }

    @Test
    void forwardedRequestsAndRelayedResponsesCarryTheGatewaysVia() throws Exception {
        RawConnection.Response response = exchange(gateway, "GET /x HTTP/1.1\r\nHost: e\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("via")).isEqualTo("1.1 gateway");
        assertThat(viaAtTheTarget()).isEqualTo("1.1 gateway");
    }

    @Test
    void theClientsProtocolIsTheReceivedProtocolAndAnExistingViaIsAppendedTo() throws Exception {
        exchange(gateway, "GET /x HTTP/1.0\r\nVia: 1.0 fred, 1.1 p.example\r\nVia: 1.1 second-line\r\n\r\n");

        assertThat(viaAtTheTarget()).isEqualTo("1.0 fred, 1.1 p.example, 1.1 second-line, 1.0 gateway");
    }

    @Test
    void aTargetsViaIsAppendedTo() throws Exception {
        RawConnection.Response response = exchange(gateway, "GET /with-via HTTP/1.1\r\nHost: e\r\n\r\n");

        assertThat(response.header("via")).isEqualTo("1.1 cdn, 1.0 origin-cache, 1.1 gateway");
    }

    @Test
    void theGatewaysOwnErrorsHaveNoVia() throws Exception {
        RawConnection.Response badGateway = exchange(gateway, "GET /dead/x HTTP/1.1\r\nHost: e\r\n\r\n");
        assertThat(badGateway.status()).isEqualTo(502);
        assertThat(badGateway.header("via")).isNull();

        RawConnection.Response malformed = exchange(gateway, "GET /x HTTP/1.1\r\nHost: [::1\r\n\r\n");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.header("via")).isNull();
    }

    @Test
    void thePseudonymIsConfigurableAndAnEmptyOneTurnsViaOffAfterAReload() throws Exception {
        Path own = Files.createDirectories(dir.resolve("reloaded"));
        try (GatewayFixture edge = GatewayFixture.start(own, "via = \"edge-1\"\n", routes())) {
            assertThat(exchange(edge, "GET /x HTTP/1.1\r\nHost: e\r\n\r\n").header("via")).isEqualTo("1.1 edge-1");
            assertThat(viaAtTheTarget()).isEqualTo("1.1 edge-1");

            edge.rewriteConfig("via = \"\"\n", routes());
            assertThat(edge.reload().applied()).isTrue();

            assertThat(exchange(edge, "GET /x HTTP/1.1\r\nHost: e\r\n\r\n").header("via")).isNull();
            assertThat(viaAtTheTarget()).isEmpty();
        }
    }
}
