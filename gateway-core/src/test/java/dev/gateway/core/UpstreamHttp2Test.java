package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gateway.core.H2Backend.Behaviour;
import dev.gateway.testkit.Eventually;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code protocol = "h2c"} pools against a frame-level HTTP/2 backend: requests multiplexed under the
 * target's stream limit, GOAWAY and refused streams retried (even a POST: the target says it never
 * processed them), resets reported, and trailers relayed both ways.
 */
class UpstreamHttp2Test {

    @TempDir
    Path dir;

    private GatewayFixture gateway(String... targets) throws Exception {
        return GatewayFixture.start(dir, "h2c = true\n", "[[routes]]\npath = \"/*\"\nupstream = \"h2\"\n"
                + "[upstreams.h2]\nprotocol = \"h2c\"\nstrategy = \"round_robin\"\ntargets = [\""
                + String.join("\", \"", targets) + "\"]\n");
    }

    private static HttpRequest post(GatewayFixture gateway, String body) {
        return HttpRequest.newBuilder(gateway.uri("/submit")).version(java.net.http.HttpClient.Version.HTTP_1_1)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void requestsAreMultiplexedOverFewConnectionsWithinTheTargetsStreamLimit() throws Exception {
        try (H2Backend backend = H2Backend.start("a", Behaviour.ANSWER_LATER, 5);
             GatewayFixture gateway = gateway(backend.url())) {
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                responses.add(gateway.client.sendAsync(HttpRequest.newBuilder(gateway.uri("/r" + i))
                        .version(java.net.http.HttpClient.Version.HTTP_1_1).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                HttpResponse<String> done = response.get(60, TimeUnit.SECONDS);
                assertThat(done.statusCode()).isEqualTo(200);
                assertThat(done.body()).isEqualTo("a:");
                assertThat(done.headers().firstValue("via")).hasValue("2 gateway");
            }
            assertThat(backend.seen).hasSize(40);
            assertThat(backend.maxConcurrent.get()).as("never above the target's SETTINGS_MAX_CONCURRENT_STREAMS")
                    .isLessThanOrEqualTo(5).isGreaterThan(1);
            assertThat(backend.connections.get()).as("40 requests shared a few connections").isLessThan(40);
        }
    }

    @Test
    void anHttp11ServerInAnH2cPoolIsABadGatewayNotAHang() throws Exception {
        try (TestBackend http11 = TestBackend.start(() -> BackendHandlers.ok("h1"));
             GatewayFixture gateway = gateway(http11.url())) {
            HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/x"))
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build());
            assertThat(response.statusCode()).isEqualTo(502);
        }
    }

    @Test
    void refusedStreamsAreRetriedOnAnotherTargetEvenForPost() throws Exception {
        try (H2Backend refusing = H2Backend.start("a", Behaviour.REFUSE);
             H2Backend answering = H2Backend.start("b", Behaviour.ANSWER);
             GatewayFixture gateway = gateway(refusing.url(), answering.url())) {
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = gateway.send(post(gateway, "order-" + i));
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("b:order-" + i);
            }
            assertThat(refusing.seen).as("round robin sent some to the refusing target first").isNotEmpty();
            assertThat(refusing.seen).allSatisfy(seen -> assertThat(seen.body()).startsWith("order-"));
        }
    }

    @Test
    void streamsAGoawaySaysWereNotProcessedAreRetried() throws Exception {
        try (H2Backend closing = H2Backend.start("a", Behaviour.GOAWAY_UNPROCESSED);
             H2Backend answering = H2Backend.start("b", Behaviour.ANSWER);
             GatewayFixture gateway = gateway(closing.url(), answering.url())) {
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = gateway.send(post(gateway, "p" + i));
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("b:p" + i);
            }
            assertThat(closing.seen).isNotEmpty();
        }
    }

    @Test
    void aGracefulGoawayFinishesTheAcceptedStreamAndLaterRequestsUseANewConnection() throws Exception {
        try (H2Backend backend = H2Backend.start("a", Behaviour.ANSWER_THEN_GOAWAY);
             GatewayFixture gateway = gateway(backend.url())) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = gateway.send(post(gateway, "n" + i));
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a:n" + i);
            }
            assertThat(backend.connections.get()).as("no stream opened on a connection after its GOAWAY")
                    .isEqualTo(3);
        }
    }

    @Test
    void aStreamResetBeforeAnyResponseIs502AndCountedAsReset() throws Exception {
        try (H2Backend backend = H2Backend.start("a", Behaviour.RESET);
             GatewayFixture gateway = gateway(backend.url())) {
            assertThat(gateway.send(post(gateway, "x")).statusCode()).isEqualTo(502);
            assertThat(backend.seen).as("a POST the target may have processed is not retried").hasSize(1);
            Scrape metrics = new Scrape(gateway.send(HttpRequest.newBuilder(gateway.adminUri("/metrics")).build()).body());
            assertThat(metrics.value("gateway_upstream_requests_total", "pool", "h2", "target", backend.url(), "outcome", "reset"))
                    .isEqualTo(1);
        }
    }

    @Test
    void aStreamResetMidResponseCutsTheClientResponseShort() throws Exception {
        try (H2Backend backend = H2Backend.start("a", Behaviour.RESET_MID_BODY);
             GatewayFixture gateway = gateway(backend.url())) {
            assertThatThrownBy(() -> gateway.send(HttpRequest.newBuilder(gateway.uri("/x"))
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build()))
                    .as("the client sees a truncated response, never a complete one").isInstanceOf(IOException.class);
            try (RawH2 h2 = new RawH2(gateway.port())) {
                h2.preface().headers(1, h2.block("GET", "/x"), true).flush();
                assertThatThrownBy(() -> h2.body(1)).hasMessageContaining("reset");
            }
        }
    }

    @Test
    void trailersAreRelayedBothWaysBetweenHttp2Peers() throws Exception {
        try (H2Backend backend = H2Backend.start("a", Behaviour.ANSWER);
             GatewayFixture gateway = gateway(backend.url());
             RawH2 h2 = new RawH2(gateway.port())) {
            h2.preface().headers(1, h2.block("POST", "/upload", "te", "trailers"), false)
                    .data(1, "payload".getBytes(StandardCharsets.UTF_8), false)
                    .headers(1, h2.trailers("x-request-digest", "abc"), true).flush();
            RawH2.Response response = h2.response(1);
            assertThat(response.body()).isEqualTo("a:payload");
            assertThat(response.blocks()).hasSize(2);
            Http2Headers trailers = response.blocks().get(1);
            assertThat(trailers.get("x-checksum")).hasToString("ok");
            Eventually.await("the backend saw the request", Duration.ofSeconds(20), () -> backend.seen.size() == 1);
            assertThat(backend.seen.get(0).trailers()).containsEntry("x-request-digest", "abc");
        }
    }

    @Test
    void http11ClientsGetChunkedTrailersOnlyWhenTheyAskedWithTeTrailers() throws Exception {
        try (H2Backend backend = H2Backend.start("a", Behaviour.ANSWER);
             GatewayFixture gateway = gateway(backend.url())) {
            try (RawConnection raw = gateway.raw()) {
                String response = raw.send("GET /t HTTP/1.1\r\nHost: x\r\nTE: trailers\r\nConnection: close\r\n\r\n").readToEnd();
                assertThat(response).startsWith("HTTP/1.1 200").contains("transfer-encoding: chunked")
                        .endsWith("\r\n0\r\nx-checksum: ok\r\n\r\n");
            }
            try (RawConnection raw = gateway.raw()) {
                String response = raw.send("GET /t HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readToEnd();
                assertThat(response).startsWith("HTTP/1.1 200").endsWith("\r\n0\r\n\r\n").doesNotContain("x-checksum");
            }
        }
    }
}
