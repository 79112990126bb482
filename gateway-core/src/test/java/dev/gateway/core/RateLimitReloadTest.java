package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.core.ratelimit.RateLimiter;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload keeps a route's buckets while its rate_limit is unchanged, and starts afresh when it changes. */
class RateLimitReloadTest {

    private static final String LIMIT = "rate_limit = { rate = 1, per = \"1h\", burst = 2, key = \"header:X-Client\" }";

    @TempDir
    Path dir;
    GatewayFixture gateway;

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static String config(String limit, boolean extraRoute) {
        return String.join("\n", "[[routes]]", "name = \"docs\"", "path = \"/docs/*\"", "static = \"docs\"", limit,
                extraRoute ? "[[routes]]\npath = \"/more/*\"\nstatic = \"docs\"" : "", "");
    }

    private int get(String client) throws Exception {
        return gateway.send(HttpRequest.newBuilder(gateway.uri("/docs/")).header("X-Client", client)
                .timeout(Duration.ofSeconds(30)).build()).statusCode();
    }

    @Test
    void anUnchangedLimitKeepsItsSpentTokensAndAChangedOneStartsAfresh() throws Exception {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/index.html"), "<h1>docs</h1>");
        gateway = GatewayFixture.start(dir, config(LIMIT, false));
        RateLimiter before = gateway.server.snapshot().rateLimiters().get("docs");
        assertThat(get("alice")).isEqualTo(200);
        assertThat(get("alice")).isEqualTo(200);
        assertThat(get("alice")).isEqualTo(429);

        gateway.rewriteConfig("", config(LIMIT, true));
        assertThat(gateway.reload().applied()).isTrue();
        assertThat(gateway.server.snapshot().rateLimiters().get("docs")).isSameAs(before);
        assertThat(get("alice")).as("still limited after a reload that left the limit alone").isEqualTo(429);
        assertThat(before.rejected()).isEqualTo(2);

        gateway.rewriteConfig("", config(LIMIT.replace("burst = 2", "burst = 3"), true));
        assertThat(gateway.reload().applied()).isTrue();
        assertThat(gateway.server.snapshot().rateLimiters().get("docs")).isNotSameAs(before);
        assertThat(get("alice")).as("a new limit, new buckets").isEqualTo(200);
    }
}
