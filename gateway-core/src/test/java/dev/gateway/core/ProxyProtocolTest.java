package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Framing through the proxy: Expect, HTTP/1.0, HEAD/204/304, close-delimited targets, body limits. */
class ProxyProtocolTest {

    @TempDir
    static Path dir;
    static final BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
    static TestBackend backend;
    static TestBackend special;
    static GatewayFixture gateway;
    static int deadPort;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(() -> BackendHandlers.recording(seen, "hello"));
        special = TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) -> {
            switch (request.uri()) {
                case "/no-content": {
                    FullHttpResponse response = BackendHandlers.text(HttpResponseStatus.NO_CONTENT, "");
                    response.headers().remove("content-length");
                    ctx.writeAndFlush(response);
                    break;
                }
                case "/not-modified": {
                    FullHttpResponse response = BackendHandlers.text(HttpResponseStatus.NOT_MODIFIED, "");
                    response.headers().set("etag", "\"v1\"").set("content-length", "123");
                    ctx.writeAndFlush(response);
                    break;
                }
                case "/close-delimited": {
                    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    response.headers().set("connection", "close");
                    ctx.write(response);
                    ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.copiedBuffer("until close", StandardCharsets.UTF_8)))
                            .addListener(ChannelFutureListener.CLOSE);
                    break;
                }
                default:
                    ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.OK, "special"));
            }
        }));
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        gateway = GatewayFixture.start(dir, "max_body_size = 1000\n", String.join("\n",
                "[[routes]]", "path = \"/special/*\"", "strip_prefix = true", "targets = [\"" + special.url() + "\"]",
                "[[routes]]", "path = \"/dead/*\"", "retries = 0", "targets = [\"http://127.0.0.1:" + deadPort + "\"]",
                "[[routes]]", "path = \"/*\"", "targets = [\"" + backend.url() + "\"]",
                ""));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
        special.close();
    }

    @Test
    void expectContinueIsAnsweredByTheGatewayAndNotForwarded() throws Exception {
        seen.clear();
        try (RawConnection c = gateway.raw()) {
            c.send("POST /upload HTTP/1.1\r\nHost: e\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawConnection.Response interim = c.read(true);
            assertThat(interim.status()).isEqualTo(100);
            RawConnection.Response response = c.send("hello").read();
            assertThat(response.status()).isEqualTo(200);
        }
        BackendHandlers.Seen request = seen.poll(10, TimeUnit.SECONDS);
        assertThat(request.body()).isEqualTo("hello");
        assertThat(request.headers()).doesNotContainKey("expect");
    }

    @Test
    void expectContinueToADeadTargetGetsTheErrorWithoutContinueAndCloses() throws Exception {
        try (RawConnection c = gateway.raw()) {
            c.send("POST /dead/x HTTP/1.1\r\nHost: e\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(502);
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }

    @Test
    void http10ClientIsServedAndClosed() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET /old HTTP/1.0\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }

    @Test
    void closeDelimitedTargetResponseIsRechunkedForHttp11Clients() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET /special/close-delimited HTTP/1.1\r\nHost: e\r\n\r\n").read();
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.body()).isEqualTo("until close");
            assertThat(c.send("GET /special/x HTTP/1.1\r\nHost: e\r\n\r\n").read().body()).isEqualTo("special");
        }
    }

    @Test
    void closeDelimitedTargetResponseToHttp10ClientEndsWithClose() throws Exception {
        try (RawConnection c = gateway.raw()) {
            c.send("GET /special/close-delimited HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawConnection.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }

    @Test
    void headNoContentAndNotModifiedHaveNoBody() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response head = c.send("HEAD /x HTTP/1.1\r\nHost: e\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("5");
            assertThat(c.send("GET /special/no-content HTTP/1.1\r\nHost: e\r\n\r\n").read().status()).isEqualTo(204);
            RawConnection.Response notModified = c.send("GET /special/not-modified HTTP/1.1\r\nHost: e\r\n\r\n").read();
            assertThat(notModified.status()).isEqualTo(304);
            // the connection is still in sync: the next response parses
            assertThat(c.send("GET /x HTTP/1.1\r\nHost: e\r\n\r\n").read().body()).isEqualTo("hello");
        }
    }

    @Test
    void chunkedBodyOverTheLimitIs413BeforeTheTargetAnswers() throws Exception {
        String chunk = "a".repeat(600);
        try (RawConnection c = gateway.raw()) {
            c.send("POST /x HTTP/1.1\r\nHost: e\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(413);
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }

    @Test
    void badChunkSizeIs400AndClose() throws Exception {
        try (RawConnection c = gateway.raw()) {
            c.send("POST /x HTTP/1.1\r\nHost: e\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }
}
