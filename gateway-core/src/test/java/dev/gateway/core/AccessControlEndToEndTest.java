package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * allow / deny through a real gateway: per route and under {@code [access]}, judged on the real
 * client address (X-Forwarded-For believed only from trusted_proxies), refused with the JSON 403
 * before the target sees anything.
 */
class AccessControlEndToEndTest {

    @TempDir
    Path dir;

    private static HttpResponse<String> get(GatewayFixture gateway, String path, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return gateway.send(request.build());
    }

    @Test
    void routeListsJudgeTheAddressBehindTrustedProxies() throws Exception {
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, "trusted_proxies = [\"127.0.0.1\", \"10.9.0.0/16\"]\n",
                     "[[routes]]\npath = \"/office/*\"\ntargets = [\"" + backend.url() + "\"]\n"
                     + "allow = [\"192.0.2.0/24\", \"2001:db8::/32\"]\ndeny = [\"192.0.2.66\"]\n"
                     + "[[routes]]\npath = \"/open/*\"\ntargets = [\"" + backend.url() + "\"]\n")) {
            assertThat(get(gateway, "/office/a", "192.0.2.10").statusCode()).isEqualTo(200);
            assertThat(get(gateway, "/office/a", "2001:db8::1").statusCode()).isEqualTo(200);
            assertThat(get(gateway, "/office/a", "192.0.2.10, 10.9.1.1").statusCode())
                    .as("trusted hops are skipped from the right").isEqualTo(200);
            HttpResponse<String> denied = get(gateway, "/office/a", "192.0.2.66");
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.headers().firstValue("content-type")).contains("application/json");
            assertThat(denied.body()).contains("\"error\":\"Forbidden\"");
            assertThat(get(gateway, "/office/a", "198.51.100.1").statusCode()).isEqualTo(403);
            assertThat(get(gateway, "/office/a", "192.0.2.10, 198.51.100.1").statusCode())
                    .as("the client wrote the left part; the first untrusted hop from the right decides").isEqualTo(403);
            assertThat(get(gateway, "/office/a", "not-an-ip").statusCode()).as("unknowable is refused").isEqualTo(403);
            assertThat(get(gateway, "/office/a", null).statusCode()).as("the proxy itself is not allowed").isEqualTo(403);
            assertThat(get(gateway, "/open/a", "198.51.100.1").statusCode()).isEqualTo(200);
            assertThat(seen).hasSize(4).allSatisfy(s -> assertThat(s.uri()).doesNotContain("66"));
        }
    }

    @Test
    void theGlobalListsCoverRoutesWithoutTheirOwnAndUnmatchedRequests() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, "[access]\ndeny = [\"127.0.0.0/8\"]\n"
                     + "[[routes]]\npath = \"/a/*\"\ntargets = [\"" + backend.url() + "\"]\n"
                     + "[[routes]]\npath = \"/own/*\"\ntargets = [\"" + backend.url() + "\"]\nallow = [\"127.0.0.1\"]\n"
                     + "[[routes]]\npath = \"/everyone/*\"\ntargets = [\"" + backend.url() + "\"]\nallow = []\n")) {
            assertThat(get(gateway, "/a/x", null).statusCode()).isEqualTo(403);
            assertThat(get(gateway, "/nowhere", null).statusCode()).as("a 404 is still behind [access]").isEqualTo(403);
            assertThat(get(gateway, "/own/x", null).statusCode()).isEqualTo(200);
            assertThat(get(gateway, "/everyone/x", "203.0.113.9").statusCode())
                    .as("X-Forwarded-For from an untrusted peer is ignored").isEqualTo(200);
        }
    }

    @Test
    void aReloadChangesTheLists() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("ok"))) {
            String route = "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\n";
            try (GatewayFixture gateway = GatewayFixture.start(dir, route + "deny = [\"127.0.0.1\"]\n")) {
                assertThat(get(gateway, "/x", null).statusCode()).isEqualTo(403);
                gateway.rewriteConfig("", route);
                assertThat(gateway.reload().applied()).isTrue();
                assertThat(get(gateway, "/x", null).statusCode()).isEqualTo(200);
            }
        }
    }
}
