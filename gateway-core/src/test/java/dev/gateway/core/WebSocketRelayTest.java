package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gateway.proxy.websocket.WebSocketMetrics;
import dev.gateway.testkit.Eventually;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What passes through a WebSocket relayed by a route with {@code websocket = true}: everything, unchanged. */
class WebSocketRelayTest {

    @TempDir
    static Path dir;

    static final WebSocketEcho echo = new WebSocketEcho("echo");
    static final BlockingQueue<BackendHandlers.Seen> plainSeen = new LinkedBlockingQueue<>();
    static TestBackend echoBackend;
    static TestBackend refusing;
    static TestBackend plain;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        echoBackend = TestBackend.start(echo::handler);
        refusing = TestBackend.start(() -> BackendHandlers.aggregating(
                (ctx, request) -> ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.FORBIDDEN, "no"))));
        plain = TestBackend.start(() -> BackendHandlers.recording(plainSeen, "plain"));
        gateway = GatewayFixture.start(dir, """
                [[routes]]
                name = "chat"
                path = "/ws/*"
                targets = ["%s"]
                websocket = true
                [[routes]]
                name = "refused"
                path = "/refused/*"
                targets = ["%s"]
                websocket = true
                [[routes]]
                name = "plain"
                path = "/plain/*"
                targets = ["%s"]
                """.formatted(echoBackend.url(), refusing.url(), plain.url()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        echoBackend.close();
        refusing.close();
        plain.close();
    }

    private static URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + path);
    }

    private static WebSocketProbe open() throws Exception {
        return WebSocketProbe.open(gateway.client, ws("/ws/chat"));
    }

    @Test
    void textMessagesGoBothWays() throws Exception {
        WebSocketProbe probe = open();
        assertThat(probe.roundTrip("hello")).isEqualTo("hello");
        assertThat(probe.roundTrip("héllo wörld ✓")).isEqualTo("héllo wörld ✓");
        probe.socket.sendClose(1000, "").get(30, TimeUnit.SECONDS);
        assertThat(probe.next()).isEqualTo(new WebSocketProbe.Closed(1000, ""));
    }

    @Test
    void binaryMessagesGoBothWays() throws Exception {
        WebSocketProbe probe = open();
        byte[] data = {0, 1, 2, (byte) 0xff, (byte) 0x80, 0x7f};
        probe.socket.sendBinary(ByteBuffer.wrap(data), true).get(30, TimeUnit.SECONDS);
        assertThat((byte[]) probe.next()).isEqualTo(data);
        probe.socket.abort();
    }

    @Test
    void aFourMegabyteMessageArrivesWhole() throws Exception {
        WebSocketProbe probe = open();
        byte[] data = new byte[4 * 1024 * 1024];
        new Random(42).nextBytes(data);
        probe.socket.sendBinary(ByteBuffer.wrap(data), true).get(60, TimeUnit.SECONDS);
        assertThat((byte[]) probe.next()).isEqualTo(data);
        probe.socket.abort();
    }

    @Test
    void fragmentedMessagesStayFragmented() throws Exception {
        WebSocketProbe probe = open();
        probe.socket.sendText("one-", false).get(30, TimeUnit.SECONDS);
        probe.socket.sendText("two-", false).get(30, TimeUnit.SECONDS);
        probe.socket.sendText("three", true).get(30, TimeUnit.SECONDS);
        assertThat(probe.next()).isEqualTo("one-two-three");
        assertThat(probe.textFragments).containsExactly("one-", "two-", "three");
        probe.socket.abort();
    }

    @Test
    void pingIsAnsweredByTheBackendsPong() throws Exception {
        WebSocketProbe probe = open();
        probe.socket.sendPing(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        Object pong = probe.next();
        assertThat(pong).isInstanceOf(WebSocketProbe.Pong.class);
        assertThat(new String(((WebSocketProbe.Pong) pong).data(), StandardCharsets.UTF_8)).isEqualTo("are you there");
        probe.socket.abort();
    }

    @Test
    void closeCodeAndReasonFromTheClientReachTheBackend() throws Exception {
        echo.closesReceived.clear();
        WebSocketProbe probe = open();
        probe.socket.sendClose(4001, "client says bye").get(30, TimeUnit.SECONDS);
        assertThat(echo.closesReceived.poll(30, TimeUnit.SECONDS)).isEqualTo("4001:client says bye");
        assertThat(probe.next()).isEqualTo(new WebSocketProbe.Closed(4001, "client says bye"));
    }

    @Test
    void closeCodeAndReasonFromTheBackendReachTheClient() throws Exception {
        WebSocketProbe probe = open();
        probe.socket.sendText("close:4002:server says bye", true).get(30, TimeUnit.SECONDS);
        assertThat(probe.next()).isEqualTo(new WebSocketProbe.Closed(4002, "server says bye"));
    }

    @Test
    void subprotocolNegotiationPassesThrough() throws Exception {
        WebSocketProbe probe = WebSocketProbe.open(gateway.client, ws("/ws/chat"), "chat.v1", WebSocketEcho.SUBPROTOCOL);
        assertThat(probe.socket.getSubprotocol()).isEqualTo(WebSocketEcho.SUBPROTOCOL);
        assertThat(probe.roundTrip("hi")).isEqualTo("hi");
        probe.socket.abort();
    }

    @Test
    void aBackendRefusingTheUpgradeIsRelayedAsItsAnswer() {
        assertThatThrownBy(() -> WebSocketProbe.connect(gateway.client, ws("/refused/x")).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
    }

    @Test
    void eachHandshakeGetsAFreshTargetConnectionThatIsNotReusedAfterARefusal() throws Exception {
        int before = refusing.connections.get();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> WebSocketProbe.connect(gateway.client, ws("/refused/x")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
        assertThat(refusing.connections.get()).isEqualTo(before + 2);
        Eventually.await("target connections closed after the refusals", () -> refusing.open.isEmpty());
        assertThat(gateway.get("/refused/plain").statusCode()).as("plain requests on a websocket route").isEqualTo(403);
    }

    @Test
    void aRouteWithoutWebsocketDoesNotUpgrade() throws Exception {
        plainSeen.clear();
        assertThatThrownBy(() -> WebSocketProbe.connect(gateway.client, ws("/plain/x")).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(200));
        BackendHandlers.Seen seen = plainSeen.poll(30, TimeUnit.SECONDS);
        assertThat(seen).isNotNull();
        assertThat(seen.headers()).doesNotContainKeys("Upgrade", "Connection");
        assertThat(seen.headers()).containsKey("Sec-WebSocket-Key"); // end-to-end headers still pass
    }

    @Test
    void metricsCountOpenConnectionsAndBytesPerRouteAndTarget() throws Exception {
        WebSocketProbe probe = open();
        WebSocketMetrics.Counts route = gateway.server.webSockets().byRoute().get("chat");
        WebSocketMetrics.Counts target = gateway.server.webSockets().byTarget().get(echoBackend.url());
        long fromClients = route.bytesFromClients();
        long fromTargets = route.bytesFromTargets();
        assertThat(route.open()).isPositive();
        assertThat(target.open()).isPositive();
        assertThat(probe.roundTrip("0123456789")).isEqualTo("0123456789");
        // A masked client frame: 2 header bytes + 4 mask bytes + payload; the echo is unmasked.
        Eventually.await("bytes counted", () -> route.bytesFromClients() >= fromClients + 16
                && route.bytesFromTargets() >= fromTargets + 12);
        long openBefore = route.open();
        probe.socket.abort();
        Eventually.await("closed connection no longer counted", () -> route.open() == openBefore - 1);
        assertThat(target.opened()).isPositive();
    }
}
