package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.targets.Target;
import dev.gateway.testkit.Eventually;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Active health checks against real backends: targets go out and come back, and traffic follows. */
class HealthCheckEndToEndTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** A backend whose /health answers {@code status}; everything else answers {@code name}. */
    private static ChannelHandler toggled(AtomicInteger status, AtomicInteger healthHits, String name) {
        return BackendHandlers.aggregating((ctx, request) -> {
            if (request.uri().equals("/health")) {
                healthHits.incrementAndGet();
                ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.valueOf(status.get()), "health"));
            } else {
                ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.OK, name));
            }
        });
    }

    private GatewayFixture gateway(String check, String... targets) throws Exception {
        return GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\nupstream = \"api\"\nretries = 0\n"
                + "[upstreams.api]\ntargets = [\"" + String.join("\", \"", targets) + "\"]\n"
                + "[upstreams.api.health_check]\ninterval = \"500ms\"\ntimeout = \"500ms\"\n" + check + "\n");
    }

    private static Target target(GatewayFixture gateway, int index) {
        return gateway.server.pools().get("api").targets().get(index);
    }

    @Test
    void targetWhoseHealthFailsGoesOutAfterThresholdAndComesBackAfterThreshold() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        AtomicInteger hits = new AtomicInteger();
        try (TestBackend a = TestBackend.start(() -> toggled(status, hits, "a"));
             TestBackend b = TestBackend.start(() -> BackendHandlers.ok("b"));
             GatewayFixture gateway = gateway("type = \"http\"\npath = \"/health\"\nhealthy_threshold = 2\n"
                     + "unhealthy_threshold = 3\nexpected_status = \"200-299\"", a.url(), b.url())) {
            Target target = target(gateway, 0);
            Eventually.await("first checks at start-up", LIMIT, () -> hits.get() >= 2);
            assertThat(target.isHealthy()).isTrue();

            status.set(503);
            int before = hits.get();
            Eventually.await("a marked unhealthy", LIMIT, () -> !target.isHealthy());
            assertThat(hits.get() - before).as("checks seen before going out").isGreaterThanOrEqualTo(3);
            for (int i = 0; i < 10; i++) {
                assertThat(gateway.get("/x").body()).isEqualTo("b");
            }

            status.set(200);
            before = hits.get();
            Eventually.await("a marked healthy again", LIMIT, target::isHealthy);
            assertThat(hits.get() - before).as("checks seen before coming back").isGreaterThanOrEqualTo(2);
            Eventually.await("traffic reaches a again", LIMIT, () -> {
                try {
                    return gateway.get("/x").body().equals("a");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void tcpCheckOfAClosedPortFailsAndTrafficAvoidsIt() throws Exception {
        String dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = "http://127.0.0.1:" + socket.getLocalPort();
        }
        try (TestBackend alive = TestBackend.start(() -> BackendHandlers.ok("alive"));
             GatewayFixture gateway = gateway("type = \"tcp\"\nunhealthy_threshold = 1", dead, alive.url())) {
            Eventually.await("closed port marked unhealthy", LIMIT, () -> !target(gateway, 0).isHealthy());
            assertThat(target(gateway, 1).isHealthy()).isTrue();
            for (int i = 0; i < 10; i++) {
                assertThat(gateway.get("/x").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void allTargetsUnhealthyAnswer503() throws Exception {
        AtomicInteger status = new AtomicInteger(503);
        try (TestBackend a = TestBackend.start(() -> toggled(status, new AtomicInteger(), "a"));
             GatewayFixture gateway = gateway("path = \"/health\"\nunhealthy_threshold = 1", a.url())) {
            Eventually.await("a marked unhealthy", LIMIT, () -> !target(gateway, 0).isHealthy());
            assertThat(gateway.get("/x").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void websocketCheckNeedsAnUpgradeAndAPong() throws Exception {
        try (TestBackend ws = TestBackend.start(HealthCheckEndToEndTest::webSocketEndpoint);
             TestBackend plain = TestBackend.start(() -> BackendHandlers.ok("plain"));
             GatewayFixture gateway = gateway("type = \"websocket\"\npath = \"/ws\"\nunhealthy_threshold = 1",
                     ws.url(), plain.url())) {
            Eventually.await("plain HTTP backend marked unhealthy", LIMIT, () -> !target(gateway, 1).isHealthy());
            AtomicInteger upgrades = new AtomicInteger(ws.connections.get());
            Eventually.await("websocket backend checked again", LIMIT, () -> ws.connections.get() > upgrades.get() + 2);
            assertThat(target(gateway, 0).isHealthy()).isTrue();
        }
    }

    /** Upgrades /ws; Netty's protocol handler answers pings with pongs. */
    static ChannelHandler webSocketEndpoint() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                ctx.pipeline().addAfter(ctx.name(), null, new WebSocketServerProtocolHandler("/ws"));
                ctx.pipeline().addAfter(ctx.name(), null, new HttpObjectAggregator(8192));
            }
        };
    }
}
