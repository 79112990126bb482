package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header rules of docs/architecture.md and strip_prefix / rewrite, observed at a real backend. */
class ProxyHeadersAndPathsTest {

    @TempDir
    static Path dir;
    static final BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
    static TestBackend backend;
    static TestBackend hopByHopBackend;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
        hopByHopBackend = TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) -> {
            FullHttpResponse response = BackendHandlers.text(HttpResponseStatus.OK, "ok");
            response.headers().set(HttpHeaderNames.CONNECTION, "X-Hop, keep-alive")
                    .set("X-Hop", "1").set(HttpHeaderNames.KEEP_ALIVE, "timeout=5")
                    .set("Proxy-Connection", "keep-alive").set(HttpHeaderNames.TRAILER, "X-T")
                    .set("X-End-To-End", "kept").set("X-Internal", "secret").set(HttpHeaderNames.SERVER, "backend/1");
            ctx.writeAndFlush(response);
        }));
        String pool = "targets = [\"" + backend.url() + "\"]\n";
        gateway = GatewayFixture.start(dir, "trusted_proxies = [\"10.0.0.0/8\"]\n", String.join("\n",
                "[[routes]]", "path = \"/plain/*\"", pool,
                "[[routes]]", "path = \"/strip/*\"", "strip_prefix = true", pool,
                "[[routes]]", "path = \"/users/:id\"", "rewrite = \"/v2/people/{id}\"", pool,
                "[[routes]]", "path = \"/api/*\"", "rewrite = \"/v3/\"", pool,
                "[[routes]]", "path = \"/target-host/*\"", "preserve_host = false", pool,
                "[[routes]]", "path = \"/rules/*\"",
                "request_headers = { set = { \"X-Env\" = \"prod\" }, remove = [\"X-Debug\"] }",
                "response_headers = { set = { \"Strict-Transport-Security\" = \"max-age=60\" }, remove = [\"X-Internal\", \"Server\"] }",
                "targets = [\"" + hopByHopBackend.url() + "\"]",
                "[[routes]]", "path = \"/hop/*\"",
                "targets = [\"" + hopByHopBackend.url() + "\"]",
                ""));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
        hopByHopBackend.close();
    }

    @BeforeEach
    void clear() {
        seen.clear();
    }

    private BackendHandlers.Seen send(String rawRequest) throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send(rawRequest).read();
            assertThat(response.status()).as(response.statusLine()).isEqualTo(200);
        }
        BackendHandlers.Seen request = seen.poll(10, TimeUnit.SECONDS);
        assertThat(request).as("backend saw the request").isNotNull();
        return request;
    }

    @Test
    void pathAndQueryAreForwardedUntouchedByDefault() throws Exception {
        BackendHandlers.Seen request = send("GET /plain/a%20b/c?x=%2F&y=1&y=2 HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(request.uri()).isEqualTo("/plain/a%20b/c?x=%2F&y=1&y=2");
    }

    @Test
    void dotSegmentsAreResolvedBeforeForwarding() throws Exception {
        assertThat(send("GET /plain/x/../y HTTP/1.1\r\nHost: e\r\n\r\n").uri()).isEqualTo("/plain/y");
    }

    @Test
    void stripPrefixForwardsTheRestOfThePath() throws Exception {
        assertThat(send("GET /strip/users/7?q=1 HTTP/1.1\r\nHost: e\r\n\r\n").uri()).isEqualTo("/users/7?q=1");
        assertThat(send("GET /strip HTTP/1.1\r\nHost: e\r\n\r\n").uri()).isEqualTo("/");
    }

    @Test
    void rewriteFillsParamsAndAppendsTheRestOnPrefixRoutes() throws Exception {
        assertThat(send("GET /users/42?full=1 HTTP/1.1\r\nHost: e\r\n\r\n").uri()).isEqualTo("/v2/people/42?full=1");
        assertThat(send("GET /api/orders/9 HTTP/1.1\r\nHost: e\r\n\r\n").uri()).isEqualTo("/v3/orders/9");
    }

    @Test
    void forwardingHeadersFromAnUntrustedClientAreReplaced() throws Exception {
        BackendHandlers.Seen request = send("GET /plain/x HTTP/1.1\r\nHost: shop.example.com\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\n"
                + "Forwarded: for=6.6.6.6\r\nX-Request-Id: trace-1\r\n\r\n");
        assertThat(request.headers()).containsEntry("x-forwarded-for", "127.0.0.1")
                .containsEntry("x-forwarded-proto", "http")
                .containsEntry("x-forwarded-host", "shop.example.com")
                .containsEntry("forwarded", "for=127.0.0.1;proto=http;host=\"shop.example.com\"")
                .containsEntry("x-request-id", "trace-1")
                .containsEntry("host", "shop.example.com");
    }

    @Test
    void otherForwardingHeadersFromAnUntrustedClientAreRemovedAndRealIpAndPortSet() throws Exception {
        BackendHandlers.Seen request = send("GET /plain/x HTTP/1.1\r\nHost: shop.example.com\r\n"
                + "X-Real-IP: 6.6.6.6\r\nX-Forwarded-Port: 1\r\nX-Forwarded-Prefix: /admin\r\n"
                + "X-Forwarded-Ssl: on\r\nX-Forwarded-Server: evil\r\nX-Forwarded-User: root\r\n\r\n");
        assertThat(request.headers()).containsEntry("x-real-ip", "127.0.0.1")
                .containsEntry("x-forwarded-port", String.valueOf(gateway.port()))
                .doesNotContainKeys("x-forwarded-prefix", "x-forwarded-ssl", "x-forwarded-server", "x-forwarded-user");
    }

    @Test
    void hostIsTheTargetsWhenPreserveHostIsOff() throws Exception {
        BackendHandlers.Seen request = send("GET /target-host/x HTTP/1.1\r\nHost: shop.example.com\r\n\r\n");
        assertThat(request.headers().get("host")).isEqualTo("127.0.0.1:" + backend.port());
        assertThat(request.headers().get("x-forwarded-host")).isEqualTo("shop.example.com");
    }

    @Test
    void teTrailersIsTheOneTeValueForwarded() throws Exception {
        // RFC 9110 §10.1.4: "trailers" says the client takes trailers, which the gateway relays
        BackendHandlers.Seen request = send("GET /plain/x HTTP/1.1\r\nHost: e\r\nTE: gzip, trailers\r\n\r\n");
        assertThat(request.headers()).containsEntry("te", "trailers");
    }

    @Test
    void hopByHopRequestHeadersAreDropped() throws Exception {
        BackendHandlers.Seen request = send("GET /plain/x HTTP/1.1\r\nHost: e\r\nConnection: keep-alive, X-Hop\r\n"
                + "X-Hop: 1\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nTE: gzip\r\n"
                + "Upgrade: h2c\r\nProxy-Authorization: Basic eDp5\r\nX-End-To-End: yes\r\n\r\n");
        assertThat(request.headers()).doesNotContainKeys("x-hop", "keep-alive", "proxy-connection", "te",
                "upgrade", "proxy-authorization");
        assertThat(request.headers().get("connection")).isNull();
        assertThat(request.headers()).containsEntry("x-end-to-end", "yes");
    }

    @Test
    void connectionCannotDropTheHostOrTheRequestId() throws Exception {
        BackendHandlers.Seen request = send("POST /plain/x HTTP/1.1\r\nHost: shop.example.com\r\n"
                + "Connection: Host, X-Request-Id, Content-Length, Content-Type, Cookie, Authorization, X-Hop\r\n"
                + "X-Request-Id: trace-2\r\nContent-Type: text/plain\r\nCookie: a=1\r\nAuthorization: Bearer t\r\n"
                + "X-Hop: 1\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(request.headers()).containsEntry("host", "shop.example.com")
                .containsEntry("x-request-id", "trace-2").containsEntry("content-type", "text/plain")
                .containsEntry("cookie", "a=1").containsEntry("authorization", "Bearer t")
                .doesNotContainKey("x-hop");
        assertThat(request.body()).isEqualTo("hello");
    }

    @Test
    void chunkedRequestBodyIsReframedAndForwarded() throws Exception {
        BackendHandlers.Seen request = send("POST /plain/x HTTP/1.1\r\nHost: e\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertThat(request.body()).isEqualTo("hello world");
    }

    @Test
    void routeHeaderRulesApplyBothWays() throws Exception {
        BackendHandlers.Seen request = send("GET /plain/x HTTP/1.1\r\nHost: e\r\nX-Debug: 1\r\n\r\n");
        assertThat(request.headers()).containsKey("x-debug").doesNotContainKey("x-env");
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET /rules/x HTTP/1.1\r\nHost: e\r\nX-Debug: 1\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).containsEntry("strict-transport-security", "max-age=60")
                    .doesNotContainKeys("x-internal", "server");
            assertThat(response.headers()).containsEntry("x-end-to-end", "kept");
        }
    }

    @Test
    void hopByHopResponseHeadersAreDroppedAndResponseRulesApply() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET /hop/x HTTP/1.1\r\nHost: e\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers()).doesNotContainKeys("x-hop", "keep-alive", "proxy-connection", "trailer");
            assertThat(response.headers()).containsEntry("x-end-to-end", "kept").containsEntry("server", "backend/1");
            assertThat(response.header("connection")).isNull();
            assertThat(response.header("x-request-id")).isNotBlank();
        }
    }
}
