package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.CircuitBreaker;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Target;
import dev.gateway.testkit.Eventually;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that are slow, silent or malformed, over raw sockets against a real gateway: none of them
 * holds a connection past its time limit, and none of them is ever counted as a target's failure.
 */
class HostileClientsTest {

    /** Short limits, so a test waits about a second for each. */
    static final String LIMITS = "body_timeout = \"1s\"\nsend_timeout = \"1s\"\nheader_timeout = \"2s\"\n";
    /** A breaker that opens on the first failure: any failure blamed on a target shows. */
    static final String TOUCHY_BREAKER = "[upstreams.api.circuit_breaker]\nconsecutive_failures = 1\n"
            + "max_ejected_percent = 100\nopen_duration = \"30s\"\n";

    @TempDir
    Path dir;

    private static String pool(TestBackend... backends) {
        return pool("500ms", backends);
    }

    private static String pool(String routeTimeout, TestBackend... backends) {
        StringBuilder targets = new StringBuilder();
        for (TestBackend backend : backends) {
            targets.append(targets.length() == 0 ? "" : ", ").append('"').append(backend.url()).append('"');
        }
        return "[[routes]]\nname = \"api\"\npath = \"/*\"\nupstream = \"api\"\ntimeout = \"" + routeTimeout + "\"\nretries = 1\n"
                + "[upstreams.api]\ntargets = [" + targets + "]\n" + TOUCHY_BREAKER;
    }

    private static String stalledPost(int contentLength, String sent) {
        return "POST /upload HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: " + contentLength + "\r\n\r\n" + sent;
    }

    private static void assertNoTargetBlamed(GatewayFixture gateway) {
        Pool pool = gateway.server.pools().get("api");
        for (Target target : pool.targets()) {
            assertThat(pool.breaker(target).state()).as("breaker of " + target).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(target.stats().failures()).as("failures of " + target).isZero();
        }
    }

    private static double aborts(GatewayFixture gateway, String reason) {
        return metric(gateway, "gateway_client_aborts_total", "reason", reason);
    }

    private static double metric(GatewayFixture gateway, String name, String... labels) {
        try {
            String text = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.adminUri("/metrics")).build()).body();
            return new Scrape(text).value(name, labels);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("scrape failed", e);
        }
    }

    @Test
    void aStalledBodyAnsweredByTheStaticSiteIsClosedAfterBodyTimeout() throws Exception {
        Files.createDirectories(dir.resolve("site"));
        Files.writeString(dir.resolve("site/index.html"), "hello");
        try (GatewayFixture gateway = GatewayFixture.start(dir, LIMITS, "[static]\nroot = \"site\"\n");
             RawConnection client = gateway.raw()) {
            client.send("POST / HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 1000\r\n\r\n0123456789");
            assertThat(client.read().status()).isEqualTo(405);
            assertThat(client.closedByPeer(10_000)).as("closed once the body stalled for body_timeout").isTrue();
            Eventually.await("abort counted", () -> aborts(gateway, "body_timeout") == 1);
        }
    }

    @Test
    void aStalledBodyOnAProxyRouteIs408AndNeverTheTargetsFault() throws Exception {
        try (TestBackend backend = TestBackend.start(BackendHandlers::countingUpload);
             GatewayFixture gateway = GatewayFixture.start(dir, LIMITS, pool(backend));
             RawConnection client = gateway.raw()) {
            client.send(stalledPost(1000, "0123456789"));
            RawConnection.Response response = client.read();
            assertThat(response.status()).as("the client's silence, not a 504 for the target").isEqualTo(408);
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(client.closedByPeer(10_000)).isTrue();
            Eventually.await("the target connection holding half a body is closed", () -> backend.open.isEmpty());
            assertNoTargetBlamed(gateway);
            assertThat(aborts(gateway, "body_timeout")).isEqualTo(1);
            assertThat(gateway.get("/after").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void eightStalledClientsCannotOpenTheBreakersOfATwoTargetPool() throws Exception {
        try (TestBackend one = TestBackend.start(BackendHandlers::countingUpload);
             TestBackend two = TestBackend.start(BackendHandlers::countingUpload);
             GatewayFixture gateway = GatewayFixture.start(dir, LIMITS, pool(one, two))) {
            List<RawConnection> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clients.add(gateway.raw().send(stalledPost(1000, "0123456789")));
            }
            for (RawConnection client : clients) {
                assertThat(client.read().status()).isEqualTo(408);
                client.close();
            }
            assertNoTargetBlamed(gateway);
            for (int i = 0; i < 4; i++) {
                assertThat(gateway.get("/normal").statusCode()).as("other users are served").isEqualTo(200);
            }
        }
    }

    @Test
    void aMalformedChunkEndsTheUpstreamExchangeAtOnceAndBlamesNoTarget() throws Exception {
        try (TestBackend one = TestBackend.start(BackendHandlers::countingUpload);
             TestBackend two = TestBackend.start(BackendHandlers::countingUpload);
             GatewayFixture gateway = GatewayFixture.start(dir, LIMITS, pool(one, two))) {
            for (int i = 0; i < 10; i++) {
                try (RawConnection client = gateway.raw()) {
                    client.send("POST /upload HTTP/1.1\r\nHost: gateway.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5\r\nhello\r\n");
                    Eventually.await("the body started to flow", () -> one.open.size() + two.open.size() >= 1);
                    client.send("zz\r\nnot a chunk\r\n");
                    assertThat(client.read().status()).isEqualTo(400);
                    assertThat(client.closedByPeer(10_000)).isTrue();
                }
                Eventually.await("target connection closed with the client's", () -> one.open.isEmpty() && two.open.isEmpty());
            }
            assertNoTargetBlamed(gateway);
            assertThat(gateway.get("/normal").statusCode()).isEqualTo(200);
            assertThat(aborts(gateway, "malformed_body")).isEqualTo(10);
        }
    }

    @Test
    void aClientThatReadsNothingOfALargeFileIsClosedAfterSendTimeout() throws Exception {
        Files.createDirectories(dir.resolve("site"));
        Files.write(dir.resolve("site/big.bin"), new byte[32 * 1024 * 1024]);
        try (GatewayFixture gateway = GatewayFixture.start(dir, LIMITS, "[static]\nroot = \"site\"\n");
             Socket reader = silentReader(gateway)) {
            reader.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: gateway.test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Eventually.await("the gateway closed the reader's connection", () -> gateway.server.openConnections() == 0);
            Eventually.await("abort counted", () -> aborts(gateway, "send_timeout") == 1);
        }
    }

    @Test
    void aClientThatReadsNothingOfAProxiedResponseReleasesTheTargetToo() throws Exception {
        // A route timeout well above the time to the response head even on a starved machine (with
        // 500ms a head delayed by CPU starvation tripped the breaker): what this test is about is
        // that the client's send_timeout closes the target connection too, blaming nobody.
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.streamingDownload(1L << 30));
             GatewayFixture gateway = GatewayFixture.start(dir, LIMITS, pool("5s", backend));
             Socket reader = silentReader(gateway)) {
            reader.getOutputStream().write("GET /download HTTP/1.1\r\nHost: gateway.test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Eventually.await("the target is streaming", () -> backend.open.size() == 1);
            Eventually.await("client and target connections closed",
                    () -> gateway.server.openConnections() == 0 && backend.open.isEmpty());
            assertNoTargetBlamed(gateway);
        }
    }

    @Test
    void pipelinedRequestsFromAClientThatReadsNoAnswersAreNotAllTaken() throws Exception {
        Files.createDirectories(dir.resolve("site"));
        Files.write(dir.resolve("site/page.html"), new byte[64 * 1024]);
        try (GatewayFixture gateway = GatewayFixture.start(dir, LIMITS, "[static]\nroot = \"site\"\n");
             Socket reader = silentReader(gateway)) {
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 2_000; i++) {
                requests.append("GET /page.html HTTP/1.1\r\nHost: gateway.test\r\n\r\n");
            }
            Thread writer = new Thread(() -> {
                try {
                    reader.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the gateway closed the connection: expected
                }
            });
            writer.start();
            Eventually.await("the gateway closed the connection", () -> gateway.server.openConnections() == 0);
            writer.join(30_000);
            String metrics = gateway.send(java.net.http.HttpRequest.newBuilder(gateway.adminUri("/metrics")).build()).body();
            double served = new Scrape(metrics).value("gateway_requests_total", "route", "static");
            assertThat(served).as("requests taken while the client read no answer").isLessThan(100);
        }
    }

    @Test
    void aRetryReplaysTheWholeBodyEvenWhenItArrivesBetweenAttempts() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        Supplier<ChannelHandler> closeFirstThenEcho = () -> connections.incrementAndGet() == 1
                ? closeOnHead() : echoBody();
        try (TestBackend backend = TestBackend.start(closeFirstThenEcho);
             GatewayFixture gateway = GatewayFixture.start(dir, LIMITS, pool(backend)
                     .replace("consecutive_failures = 1", "consecutive_failures = 5"));
             RawConnection client = gateway.raw()) {
            client.send("PUT /doc HTTP/1.1\r\nHost: gateway.test\r\nContent-Length: 10\r\n\r\n");
            // Once the retry is decided the first attempt is over: the body now arrives between attempts
            // (during the backoff) or on the second connection, never on the dead first one.
            Eventually.await("the retry was decided", () -> metric(gateway, "gateway_upstream_retries_total") == 1);
            client.send("0123456789");
            RawConnection.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("0123456789");
        }
    }

    /** A connection that takes no response bytes: a tiny receive window, never read. */
    private static Socket silentReader(GatewayFixture gateway) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
        return socket;
    }

    private static ChannelHandler closeOnHead() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                if (msg instanceof HttpRequest) {
                    ctx.close();
                }
            }
        };
    }

    private static ChannelHandler echoBody() {
        return new ChannelInboundHandlerAdapter() {
            private final StringBuilder body = new StringBuilder();

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpContent) {
                    body.append(((HttpContent) msg).content().toString(StandardCharsets.US_ASCII));
                }
                ReferenceCountUtil.release(msg);
                if (msg instanceof LastHttpContent) {
                    ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.OK, body.toString()));
                    body.setLength(0);
                }
            }
        };
    }
}
