package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gateway.balancer.CircuitBreaker;
import dev.gateway.balancer.Pool;
import dev.gateway.testkit.Eventually;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The life of a relayed WebSocket connection: which target it goes to, and how it ends. */
class WebSocketConnectionsTest {

    private static final String HANDSHAKE = "GET /ws/raw HTTP/1.1\r\nHost: gw\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    @TempDir
    Path dir;

    private GatewayFixture gateway(String routeKeys, String... targets) throws Exception {
        return GatewayFixture.start(dir, """
                [[routes]]
                name = "chat"
                path = "/ws/*"
                websocket = true
                upstream = "chat"
                %s
                [upstreams.chat]
                targets = [%s]
                [upstreams.chat.circuit_breaker]
                consecutive_failures = 1
                max_ejected_percent = 100
                """.formatted(routeKeys, "\"" + String.join("\", \"", targets) + "\""));
    }

    /** A websocket route to the pool "chat" of two targets with one extra upstream key. */
    private GatewayFixture twoTargetPool(String upstreamKey, TestBackend a, TestBackend b) throws Exception {
        return GatewayFixture.start(dir, """
                [[routes]]
                path = "/ws/*"
                websocket = true
                upstream = "chat"
                [upstreams.chat]
                targets = ["%s", "%s"]
                %s
                """.formatted(a.url(), b.url(), upstreamKey));
    }

    private static URI ws(GatewayFixture gateway) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/chat");
    }

    /** Opens {@code connections} WebSockets one after the other and asks each which backend it reached. */
    private static List<Object> backendsReached(HttpClient client, URI uri, int connections) throws Exception {
        List<Object> answers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            WebSocketProbe probe = WebSocketProbe.open(client, uri);
            answers.add(probe.roundTrip("who"));
            probe.socket.abort();
        }
        return answers;
    }

    @Test
    void roundRobinSpreadsNewConnections() throws Exception {
        WebSocketEcho a = new WebSocketEcho("a");
        WebSocketEcho b = new WebSocketEcho("b");
        try (TestBackend backendA = TestBackend.start(a::handler);
             TestBackend backendB = TestBackend.start(b::handler);
             GatewayFixture gateway = gateway("", backendA.url(), backendB.url())) {
            List<Object> answers = backendsReached(gateway.client, ws(gateway), 4);
            assertThat(answers).containsExactlyInAnyOrder("a", "a", "b", "b");
            assertThat(answers.get(0)).isNotEqualTo(answers.get(1));
        }
    }

    @Test
    void leastConnectionsCountsOpenWebSocketsUntilTheyClose() throws Exception {
        WebSocketEcho a = new WebSocketEcho("a");
        WebSocketEcho b = new WebSocketEcho("b");
        try (TestBackend backendA = TestBackend.start(a::handler);
             TestBackend backendB = TestBackend.start(b::handler);
             GatewayFixture gateway = twoTargetPool("strategy = \"least_connections\"", backendA, backendB)) {
            List<dev.gateway.balancer.targets.Target> targets = gateway.server.pools().get("chat").targets();
            WebSocketProbe first = WebSocketProbe.open(gateway.client, ws(gateway));
            Object firstBackend = first.roundTrip("who");
            WebSocketProbe second = WebSocketProbe.open(gateway.client, ws(gateway));
            Object secondBackend = second.roundTrip("who");
            assertThat(secondBackend).as("the first connection still counts").isNotEqualTo(firstBackend);
            assertThat(targets).extracting(dev.gateway.balancer.targets.Target::activeRequests).containsExactly(1, 1);

            second.socket.abort();
            Eventually.await("closed connection no longer counted", Duration.ofSeconds(30),
                    () -> targets.stream().mapToInt(dev.gateway.balancer.targets.Target::activeRequests).sum() == 1);
            WebSocketProbe third = WebSocketProbe.open(gateway.client, ws(gateway));
            assertThat(third.roundTrip("who")).as("the idle backend, not the next in turn").isEqualTo(secondBackend);

            first.socket.abort();
            third.socket.abort();
            Eventually.await("no connection counted", Duration.ofSeconds(30),
                    () -> targets.stream().allMatch(t -> t.activeRequests() == 0));
        }
    }

    @Test
    void stickySessionsKeepAClientOnOneBackendAcrossReconnects() throws Exception {
        WebSocketEcho a = new WebSocketEcho("a");
        WebSocketEcho b = new WebSocketEcho("b");
        try (TestBackend backendA = TestBackend.start(a::handler);
             TestBackend backendB = TestBackend.start(b::handler);
             GatewayFixture gateway = twoTargetPool("sticky_cookie = \"GW_WS\"", backendA, backendB)) {
            CookieManager cookies = new CookieManager();
            HttpClient sticky = HttpClient.newBuilder().cookieHandler(cookies).build();
            List<Object> answers = backendsReached(sticky, ws(gateway), 6);
            assertThat(cookies.getCookieStore().getCookies()).extracting(HttpCookie::getName).containsExactly("GW_WS");
            assertThat(answers).containsOnly(answers.get(0));
        }
    }

    @Test
    void openWebSocketsSurviveAReloadThatReplacesTheirPoolAndRemovesTheirRoute() throws Exception {
        WebSocketEcho a = new WebSocketEcho("a");
        WebSocketEcho b = new WebSocketEcho("b");
        try (TestBackend backendA = TestBackend.start(a::handler);
             TestBackend backendB = TestBackend.start(b::handler);
             GatewayFixture gateway = gateway("", backendA.url())) {
            WebSocketProbe open = WebSocketProbe.open(gateway.client, ws(gateway));
            assertThat(open.roundTrip("who")).isEqualTo("a");

            gateway.rewriteConfig("", """
                    [[routes]]
                    name = "chat-v2"
                    path = "/ws/*"
                    websocket = true
                    targets = ["%s"]
                    """.formatted(backendB.url()));
            assertThat(gateway.reload().problems()).isEmpty();
            assertThat(WebSocketProbe.open(gateway.client, ws(gateway)).roundTrip("who")).as("new connections").isEqualTo("b");
            assertThat(open.roundTrip("still here")).isEqualTo("still here");

            gateway.rewriteConfig("", "[[routes]]\npath = \"/other/*\"\ntargets = [\"" + backendB.url() + "\"]\n");
            assertThat(gateway.reload().problems()).isEmpty();
            assertThat(open.roundTrip("and after the route is gone")).isEqualTo("and after the route is gone");
            assertThat(open.ended).isNotDone();
        }
    }

    @Test
    void aBackendKilledMidConversationClosesTheClient() throws Exception {
        WebSocketEcho echo = new WebSocketEcho("echo");
        try (TestBackend backend = TestBackend.start(echo::handler);
             GatewayFixture gateway = gateway("", backend.url())) {
            WebSocketProbe probe = WebSocketProbe.open(gateway.client, ws(gateway));
            assertThat(probe.roundTrip("first")).isEqualTo("first");
            backend.killConnections();
            assertThat(probe.ended.get(30, TimeUnit.SECONDS)).isNotNull();
            Eventually.await("tunnel no longer counted",
                    () -> gateway.server.webSockets().byRoute().get("chat").open() == 0);
        }
    }

    @Test
    void bytesTheTargetSendsWithIts101AndHalfClosesAreRelayed() throws Exception {
        try (TestBackend backend = TestBackend.start(WebSocketConnectionsTest::rawUpgrade);
             GatewayFixture gateway = gateway("", backend.url());
             RawConnection client = gateway.raw()) {
            RawConnection.Response switched = client.send(HANDSHAKE).read();
            assertThat(switched.status()).isEqualTo(101);
            assertThat(switched.header("upgrade")).isEqualToIgnoringCase("websocket");
            assertThat(switched.header("connection")).isEqualToIgnoringCase("upgrade");
            assertThat(switched.header("x-request-id")).isNotBlank();
            assertThat(client.readExactly(5)).isEqualTo("hello");
            assertThat(client.send("any bytes at all\r\n\r\n").readExactly(20)).isEqualTo("any bytes at all\r\n\r\n");
            client.shutdownOutput();
            assertThat(client.readToEnd()).isEqualTo("bye");
        }
    }

    @Test
    void anIdleWebSocketIsClosedAfterItsOwnTimeoutWhileActivityKeepsItOpen() throws Exception {
        try (TestBackend backend = TestBackend.start(WebSocketConnectionsTest::rawUpgrade);
             GatewayFixture gateway = gateway("websocket_idle_timeout = \"2s\"", backend.url());
             RawConnection client = gateway.raw()) {
            assertThat(client.send(HANDSHAKE).read().status()).isEqualTo(101);
            assertThat(client.readExactly(5)).isEqualTo("hello");
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() - until < 0) {
                assertThat(client.send("tick").readExactly(4)).isEqualTo("tick");
                Thread.sleep(200); // pacing the activity, not waiting for a result
            }
            assertThat(client.closedByPeer(30_000)).as("closed once idle").isTrue();
        }
    }

    @Test
    void aTargetThatCannotBeReachedAnswers502AndTripsItsBreaker() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (GatewayFixture gateway = gateway("retries = 0", "http://127.0.0.1:" + closedPort)) {
            assertThatThrownBy(() -> WebSocketProbe.connect(gateway.client, ws(gateway)).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(502));
            Pool pool = gateway.server.pools().get("chat");
            assertThat(pool.breaker(pool.targets().get(0)).state()).isEqualTo(CircuitBreaker.State.OPEN);
        }
    }

    @Test
    void shutdownLeavesWebSocketsOpenUntilShutdownTimeoutThenClosesThem() throws Exception {
        WebSocketEcho echo = new WebSocketEcho("echo");
        try (TestBackend backend = TestBackend.start(echo::handler);
             GatewayFixture gateway = gateway("", backend.url())) {
            int port = gateway.port();
            WebSocketProbe probe = WebSocketProbe.open(gateway.client, ws(gateway));
            assertThat(probe.roundTrip("before")).isEqualTo("before");
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
                    () -> gateway.server.shutdown(Duration.ofSeconds(5)));
            Eventually.await("listener closed", () -> !canConnect(port));
            assertThat(probe.roundTrip("during the drain")).isEqualTo("during the drain");
            assertThat(shutdown).isNotDone();
            assertThat(probe.ended.get(30, TimeUnit.SECONDS)).isNotNull();
            shutdown.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Answers the upgrade itself, with {@code hello} in the same write as its 101, then echoes raw
     * bytes; when its input ends it says {@code bye} and closes.
     */
    private static ChannelHandler rawUpgrade() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest) {
                    ReferenceCountUtil.release(msg);
                    ctx.pipeline().remove(HttpServerCodec.class);
                    ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                    ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\nhello",
                            StandardCharsets.US_ASCII));
                } else if (msg instanceof ByteBuf) {
                    ctx.writeAndFlush(msg);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ChannelInputShutdownEvent.INSTANCE) {
                    ctx.writeAndFlush(Unpooled.copiedBuffer("bye", StandardCharsets.US_ASCII))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            }
        };
    }

    private static boolean canConnect(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
