package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connections to targets are pooled and reused, and a target closing an idle one never surfaces as an error. */
class UpstreamKeepAliveTest {

    @TempDir
    Path dir;

    @Test
    void thousandSequentialRequestsUseAHandfulOfConnections() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("pong"));
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\n")) {
            for (int i = 0; i < 1000; i++) {
                HttpResponse<String> response = gateway.get("/ping/" + i);
                assertThat(response.statusCode()).isEqualTo(200);
            }
            assertThat(backend.connections.get()).as("backend connections for 1000 requests").isBetween(1, 4);
        }
    }

    @Test
    void maxRequestsPerConnectionRotatesConnections() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("pong"));
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\nupstream = \"b\"\n"
                     + "[upstreams.b]\ntargets = [\"" + backend.url() + "\"]\nmax_requests_per_connection = 10\n");
             RawConnection c = gateway.raw()) {
            for (int i = 0; i < 50; i++) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: e\r\n\r\n").read().status()).isEqualTo(200);
            }
            assertThat(backend.connections.get()).isEqualTo(5);
        }
    }

    /** A target that says {@code Connection: close} never gets another request on that connection, even if it leaves it open. */
    @Test
    void connectionATargetAskedToCloseIsNotReused() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) -> {
                 io.netty.handler.codec.http.FullHttpResponse response = BackendHandlers.text(HttpResponseStatus.OK, "bye");
                 response.headers().set("connection", "close");
                 ctx.writeAndFlush(response); // ...but the socket stays open
             }));
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\n");
             RawConnection c = gateway.raw()) {
            for (int i = 0; i < 5; i++) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: e\r\n\r\n").read().body()).isEqualTo("bye");
            }
            assertThat(backend.connections.get()).isEqualTo(5);
        }
    }

    /**
     * The stale-connection race: a target closes a kept-alive connection just as the gateway sends
     * the next request on it. Idempotent requests are retried on a fresh connection, invisibly.
     */
    @Test
    void targetClosingReusedConnectionsDoesNotFailIdempotentRequests() throws Exception {
        try (TestBackend backend = TestBackend.start(UpstreamKeepAliveTest::answersOnceThenDrops);
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\nretries = 0\ntargets = [\""
                     + backend.url() + "\"]\n");
             RawConnection c = gateway.raw()) {
            for (int i = 0; i < 30; i++) {
                RawConnection.Response response = c.send("GET /" + i + " HTTP/1.1\r\nHost: e\r\n\r\n").read();
                assertThat(response.status()).as("request %d", i).isEqualTo(200);
            }
        }
    }

    /** Answers the first request of each connection; on the second it closes without a word. */
    private static ChannelInboundHandlerAdapter answersOnceThenDrops() {
        return new ChannelInboundHandlerAdapter() {
            int requests;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                if (msg instanceof LastHttpContent) {
                    if (++requests == 1) {
                        ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.OK, "fresh"));
                    } else {
                        ctx.close();
                    }
                }
            }
        };
    }
}
