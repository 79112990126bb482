package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gateway.config.load.ConfigLoader;
import dev.gateway.core.logging.AccessLog;
import dev.gateway.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code rate_limit} through a real gateway: 429 with Retry-After and the JSON error body, nothing
 * forwarded, proxy, static and WebSocket routes, keys kept apart, and passing again once tokens are back. All
 * test clients are 127.0.0.1, so the routes key on a header.
 */
class RateLimitEndToEndTest {

    @TempDir
    static Path dir;
    static TestBackend backend;
    static TestBackend webSocketBackend;
    static GatewayFixture gateway;
    static final BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
    static final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(() -> BackendHandlers.recording(seen, "from backend"));
        webSocketBackend = TestBackend.start(new WebSocketEcho("echo")::handler);
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/index.html"), "<h1>docs</h1>");
        accessLog.start();
        ((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).addAppender(accessLog);
        Path config = dir.resolve("app_config.toml");
        Files.writeString(config, String.join("\n",
                "[server]", "listen = \"127.0.0.1:0\"", "[admin]", "listen = \"127.0.0.1:0\"",
                "[logging]", "access_log = \"stdout\"", "access_format = \"json\"",
                "[[routes]]", "name = \"api\"", "path = \"/api/*\"", "targets = [\"" + backend.url() + "\"]",
                "rate_limit = { rate = 1, per = \"1h\", burst = 3, key = \"header:X-Client\" }",
                "[[routes]]", "name = \"docs\"", "path = \"/docs/*\"", "static = \"docs\"",
                "rate_limit = { rate = 1, per = \"1h\", burst = 2, key = \"header:X-Client\" }",
                "[[routes]]", "name = \"fast\"", "path = \"/fast/*\"", "targets = [\"" + backend.url() + "\"]",
                "rate_limit = { rate = 1, per = \"1s\", key = \"header:X-Client\" }",
                "[[routes]]", "name = \"chat\"", "path = \"/ws/*\"", "targets = [\"" + webSocketBackend.url() + "\"]",
                "websocket = true", "rate_limit = { rate = 1, per = \"1h\", key = \"global\" }",
                ""));
        gateway = GatewayFixture.of(dir, GatewayServer.start(ConfigLoader.load(config, Map.of())));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
        webSocketBackend.close();
        ((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).detachAppender(accessLog);
    }

    private static HttpResponse<String> get(String path, String client) throws Exception {
        return gateway.send(HttpRequest.newBuilder(gateway.uri(path)).header("X-Client", client)
                .timeout(Duration.ofSeconds(30)).build());
    }

    @Test
    void theRequestAfterTheBurstIs429WithRetryAfterAndIsNotForwarded() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/items", "alice").statusCode()).as("request %d", i).isEqualTo(200);
        }
        seen.clear();
        HttpResponse<String> limited = get("/api/items", "alice");
        assertThat(limited.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
        assertThat(retryAfter).isBetween(3_000L, 3_600L); // a token an hour
        String id = limited.headers().firstValue("x-request-id").orElseThrow();
        assertThat(limited.body())
                .isEqualTo("{\"status\":429,\"error\":\"Too Many Requests\",\"request_id\":\"" + id + "\"}\n");
        assertThat(limited.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(get("/api/items", "bob").statusCode()).as("another key").isEqualTo(200);
        assertThat(seen).extracting(BackendHandlers.Seen::headers)
                .noneMatch(headers -> "alice".equals(headers.get("X-Client")));
        Eventually.await("the 429 in the access log", () -> accessLog.list.stream()
                .anyMatch(event -> event.getFormattedMessage().contains("\"request_id\":\"" + id + "\"")
                        && event.getFormattedMessage().contains("\"status\":429")
                        && event.getFormattedMessage().contains("\"route\":\"api\"")));
    }

    @Test
    void staticRoutesAreLimitedToo() throws Exception {
        assertThat(get("/docs/", "carol").statusCode()).isEqualTo(200);
        assertThat(get("/docs/", "carol").statusCode()).isEqualTo(200);
        HttpResponse<String> limited = get("/docs/", "carol");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).isPresent();
        assertThat(get("/docs/", "dave").statusCode()).isEqualTo(200);
    }

    @Test
    void aLimitedRequestsBodyIsReadAndDroppedAndTheConnectionIsKept() throws Exception {
        for (int i = 0; i < 3; i++) {
            get("/api/upload", "erin");
        }
        seen.clear();
        try (RawConnection connection = gateway.raw()) {
            String body = "x".repeat(10_000);
            RawConnection.Response limited = connection.send("POST /api/upload HTTP/1.1\r\nHost: gw\r\nX-Client: erin\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).read();
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("connection")).isNotEqualToIgnoringCase("close");
            RawConnection.Response next = connection.send("GET /api/next HTTP/1.1\r\nHost: gw\r\nX-Client: frank\r\n\r\n").read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("from backend");
        }
        assertThat(seen).extracting(BackendHandlers.Seen::uri).containsExactly("/api/next");
    }

    @Test
    void aLimitedRequestWaitingFor100ContinueIsAnsweredAndTheConnectionClosed() throws Exception {
        for (int i = 0; i < 3; i++) {
            get("/api/upload", "grace");
        }
        try (RawConnection connection = gateway.raw()) {
            RawConnection.Response limited = connection.send("PUT /api/upload HTTP/1.1\r\nHost: gw\r\nX-Client: grace\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 100000\r\n\r\n").read();
            assertThat(limited.status()).as("no 100 Continue first").isEqualTo(429);
            assertThat(limited.header("connection")).isEqualTo("close");
            assertThat(connection.closedByPeer(30_000)).isTrue();
        }
    }

    @Test
    void requestsPassAgainOnceTheBucketHasRefilled() throws Exception {
        HttpResponse<String> limited = null;
        for (int i = 0; i < 50 && limited == null; i++) {
            HttpResponse<String> response = get("/fast/x", "heidi");
            if (response.statusCode() == 429) {
                limited = response;
            }
        }
        assertThat(limited).as("a burst of 1 at one a second is soon spent").isNotNull();
        assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
        Eventually.await("a token for heidi", Duration.ofSeconds(30), () -> {
            try {
                return get("/fast/x", "heidi").statusCode() == 200;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aWebSocketHandshakeCountsAsOneRequestAndAnOpenWebSocketIsNotLimited() throws Exception {
        URI chat = URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/chat");
        WebSocketProbe open = WebSocketProbe.open(gateway.client, chat);
        assertThatThrownBy(() -> WebSocketProbe.connect(gateway.client, chat).get(30, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(429));
        for (int i = 0; i < 5; i++) {
            assertThat(open.roundTrip("message " + i)).isEqualTo("message " + i);
        }
        open.socket.abort();
    }
}
