package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.config.load.ConfigLoader;
import dev.gateway.core.logging.AccessLog;
import dev.gateway.testkit.Eventually;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * W3C Trace Context end to end: a request is followed from the client through the gateway into the
 * target. The target gets a {@code traceparent} naming the client's trace and the gateway's own
 * span; that span's ids are in the JSON access log and in the gateway's JSON error bodies; with an
 * {@code otlp_endpoint} the span reaches an OTLP receiver with its parent. HTTP/2 streams and gRPC
 * calls are traced the same way (a gRPC call's own errors stay gRPC statuses, without a body). Without
 * {@code [tracing]} the client's headers pass through untouched and nothing is added.
 */
class TracingEndToEndTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();
    final BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();

    @BeforeEach
    void captureAccessLog() {
        accessLog.start();
        ((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).addAppender(accessLog);
    }

    @AfterEach
    void release() {
        ((Logger) LoggerFactory.getLogger(AccessLog.LOGGER)).detachAppender(accessLog);
    }

    private GatewayFixture start(String backendUrl, String tracing) throws Exception {
        return start(backendUrl, "", tracing);
    }

    /** @param serverKeys more of [server] (h2c, or a [server.tls] table) */
    private GatewayFixture start(String backendUrl, String serverKeys, String tracing) throws Exception {
        Files.createDirectories(dir.resolve("site"));
        Path config = dir.resolve("app_config.toml");
        Files.writeString(config, String.join("\n",
                "[server]", "listen = \"127.0.0.1:0\"", serverKeys, "[admin]", "listen = \"127.0.0.1:0\"",
                "[logging]", "access_log = \"stdout\"", "access_format = \"json\"",
                "[[routes]]", "name = \"api\"", "path = \"/api/*\"", "targets = [\"" + backendUrl + "\"]",
                "[[routes]]", "name = \"dead\"", "path = \"/dead/*\"", "targets = [\"http://127.0.0.1:1\"]",
                "retries = 0",
                "[[routes]]", "name = \"files\"", "path = \"/files/*\"", "static = \"site\"",
                tracing, ""));
        return GatewayFixture.of(dir, GatewayServer.start(ConfigLoader.load(config, Map.of())));
    }

    private HttpResponse<String> get(GatewayFixture gateway, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gateway.send(request.build());
    }

    /** The access-log line of the request with this id, once it is written. */
    private JsonNode logged(String requestId) throws Exception {
        Eventually.await("access log line of " + requestId, () -> line(requestId) != null);
        return JSON.readTree(line(requestId));
    }

    private String line(String requestId) {
        for (ILoggingEvent event : List.copyOf(accessLog.list)) {
            if (event.getFormattedMessage().contains("\"request_id\":\"" + requestId + "\"")) {
                return event.getFormattedMessage();
            }
        }
        return null;
    }

    @Test
    void theTargetGetsTheClientsTraceWithTheGatewaysSpanAsParentAndTheLogHasBoth() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = start(backend.url(), "[tracing]")) {
            HttpResponse<String> response = get(gateway, "/api/a", "traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01",
                    "tracestate", "vendor=opaque", "X-Request-Id", "traced-1");
            assertThat(response.statusCode()).isEqualTo(200);
            BackendHandlers.Seen atTarget = seen.poll(10, TimeUnit.SECONDS);
            String traceparent = atTarget.headers().get("traceparent");
            assertThat(traceparent).matches("00-" + TRACE + "-[0-9a-f]{16}-01");
            String gatewaySpan = traceparent.substring(36, 52);
            assertThat(gatewaySpan).isNotEqualTo(CLIENT_SPAN);
            assertThat(atTarget.headers().get("tracestate")).isEqualTo("vendor=opaque");

            JsonNode line = logged("traced-1");
            assertThat(line.get("trace_id").asText()).isEqualTo(TRACE);
            assertThat(line.get("span_id").asText()).isEqualTo(gatewaySpan);
        }
    }

    @Test
    void withoutATraceparentTheGatewayStartsATrace() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = start(backend.url(), "[tracing]")) {
            assertThat(get(gateway, "/api/b", "X-Request-Id", "traced-2").statusCode()).isEqualTo(200);
            String traceparent = seen.poll(10, TimeUnit.SECONDS).headers().get("traceparent");
            assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            JsonNode line = logged("traced-2");
            assertThat(traceparent).isEqualTo("00-" + line.get("trace_id").asText() + "-" + line.get("span_id").asText() + "-01");
        }
    }

    @Test
    void theGatewaysErrorBodiesCarryTheTraceAndSpanIds() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("ok"));
             GatewayFixture gateway = start(backend.url(), "[tracing]")) {
            for (String path : new String[] {"/nowhere", "/dead/x", "/files/missing.html"}) {
                HttpResponse<String> error = get(gateway, path, "traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01");
                assertThat(error.statusCode()).as(path).isIn(404, 502);
                JsonNode body = JSON.readTree(error.body());
                assertThat(body.get("trace_id").asText()).as(path).isEqualTo(TRACE);
                String requestId = body.get("request_id").asText();
                assertThat(body.get("span_id").asText()).as(path).isEqualTo(logged(requestId).get("span_id").asText())
                        .isNotEqualTo(CLIENT_SPAN);
            }
        }
    }

    @Test
    void http2StreamsAreTracedExportedAndFedToTheDashboardLikeHttp11() throws Exception {
        TestCertificates.write(dir);
        try (OtlpReceiver receiver = new OtlpReceiver();
             TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"))) {
            String traceparent = "00-" + TRACE + "-" + CLIENT_SPAN + "-01";
            try (GatewayFixture gateway = start(backend.url(), TestCertificates.SERVER_TLS,
                    "[tracing]\notlp_endpoint = \"" + receiver.endpoint() + "\"")) {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                        .sslContext(TlsListenerTest.trustAll()).connectTimeout(Duration.ofSeconds(10)).build();
                String base = "https://localhost:" + gateway.port();
                HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(base + "/api/h2"))
                        .header("traceparent", traceparent).header("X-Request-Id", "h2-ok").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ok.version()).isEqualTo(HttpClient.Version.HTTP_2);
                String atTarget = seen.poll(10, TimeUnit.SECONDS).headers().get("traceparent");
                assertThat(atTarget).matches("00-" + TRACE + "-[0-9a-f]{16}-01");
                JsonNode line = logged("h2-ok");
                assertThat(line.get("protocol").asText()).isEqualTo("HTTP/2.0");
                assertThat(line.get("span_id").asText()).isEqualTo(atTarget.substring(36, 52));

                HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create(base + "/nowhere"))
                        .header("traceparent", traceparent).header("X-Request-Id", "h2-missing").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(missing.statusCode()).isEqualTo(404);
                JsonNode body = JSON.readTree(missing.body());
                assertThat(body.get("trace_id").asText()).isEqualTo(TRACE);
                assertThat(body.get("span_id").asText()).isEqualTo(logged("h2-missing").get("span_id").asText());
                Eventually.await("the error on the dashboard", () -> gateway.server.traffic().recentErrors().stream()
                        .anyMatch(error -> error.requestId().equals("h2-missing")));
                assertThat(gateway.server.traffic().recentErrors()).as("one record per exchange")
                        .filteredOn(error -> error.requestId().equals("h2-missing")).singleElement()
                        .satisfies(error -> {
                            assertThat(error.traceId()).isEqualTo(TRACE);
                            assertThat(error.reason()).isEqualTo("no route");
                        });
                Eventually.await("both spans at the receiver", Duration.ofSeconds(30), () -> receiver.spans.size() >= 2);
            }
            assertThat(receiver.spans).hasSize(2).allSatisfy(span -> {
                assertThat(span.traceId()).isEqualTo(TRACE);
                assertThat(span.attributes()).containsEntry("network.protocol.version", "2")
                        .containsEntry("url.scheme", "https");
            });
        }
    }

    @Test
    void grpcErrorsStayGrpcStatusesWithTracingOnAndTheirTraceIsLogged() throws Exception {
        try (GatewayFixture gateway = start("http://127.0.0.1:1", "h2c = true", "[tracing]")) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", gateway.port(),
                    InsecureChannelCredentials.create()).build();
            try {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
                        "00-" + TRACE + "-" + CLIENT_SPAN + "-01");
                headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), "grpc-missing");
                Channel traced = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
                assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(traced, GrpcEcho.UNARY,
                        CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), "x"))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).as("no route, as a gRPC status")
                                    .isEqualTo(Status.Code.UNIMPLEMENTED);
                            assertThat(e.getStatus().getDescription()).as("grpc-message, not an HTTP 404 mapped")
                                    .isEqualTo("404 Not Found (request id grpc-missing)");
                        });
                JsonNode line = logged("grpc-missing");
                assertThat(line.get("trace_id").asText()).isEqualTo(TRACE);
                assertThat(line.get("protocol").asText()).isEqualTo("HTTP/2.0");
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void offTheClientsHeadersPassThroughAndNothingIsAdded() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = start(backend.url(), "")) {
            String client = "00-" + TRACE + "-" + CLIENT_SPAN + "-01";
            assertThat(get(gateway, "/api/c", "traceparent", client, "X-Request-Id", "plain-1").statusCode()).isEqualTo(200);
            assertThat(seen.poll(10, TimeUnit.SECONDS).headers().get("traceparent")).isEqualTo(client);
            assertThat(logged("plain-1").has("trace_id")).isFalse();
            assertThat(get(gateway, "/api/d").statusCode()).isEqualTo(200);
            assertThat(seen.poll(10, TimeUnit.SECONDS).headers()).doesNotContainKey("traceparent");
            assertThat(get(gateway, "/nowhere", "traceparent", client).body()).doesNotContain("trace_id");
        }
    }

    @Test
    void sampledSpansReachAnOtlpReceiverWithTheirParent() throws Exception {
        try (OtlpReceiver receiver = new OtlpReceiver();
             TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"))) {
            String gatewaySpan;
            try (GatewayFixture gateway = start(backend.url(), "[tracing]\nservice_name = \"edge\"\notlp_endpoint = \""
                    + receiver.endpoint() + "\"")) {
                assertThat(get(gateway, "/api/span?q=1", "traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-01",
                        "X-Request-Id", "exported-1", "User-Agent", "tracing-test").statusCode()).isEqualTo(200);
                assertThat(get(gateway, "/api/unsampled", "traceparent", "00-" + TRACE + "-" + CLIENT_SPAN + "-00")
                        .statusCode()).isEqualTo(200);
                gatewaySpan = logged("exported-1").get("span_id").asText();
                Eventually.await("the span at the receiver", Duration.ofSeconds(30), () -> !receiver.spans.isEmpty());
            }
            assertThat(receiver.contentTypes).allMatch(type -> type.startsWith("application/x-protobuf"));
            assertThat(receiver.spans).as("the unsampled request is not exported").hasSize(1);
            OtlpReceiver.Span span = receiver.spans.get(0);
            assertThat(span.traceId()).isEqualTo(TRACE);
            assertThat(span.spanId()).isEqualTo(gatewaySpan);
            assertThat(span.parentSpanId()).isEqualTo(CLIENT_SPAN);
            assertThat(span.name()).isEqualTo("GET api");
            assertThat(span.kind()).as("SPAN_KIND_SERVER").isEqualTo(2);
            assertThat(span.endNanos()).isGreaterThan(span.startNanos());
            assertThat(span.attributes()).containsEntry("http.request.method", "GET")
                    .containsEntry("url.path", "/api/span").containsEntry("url.query", "q=1")
                    .containsEntry("http.response.status_code", 200L)
                    .containsEntry("gateway.route", "api").containsEntry("gateway.request_id", "exported-1")
                    .containsEntry("gateway.target", backend.url()).containsEntry("user_agent.original", "tracing-test");
            assertThat(span.resource()).containsEntry("service.name", "edge");
        }
    }
}
