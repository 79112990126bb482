package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No {@code Location} the gateway builds from a request can send a browser to another host:
 * never {@code //host} or {@code /\host} (browsers read both as a network path), never a raw
 * backslash. Static directory redirects and prefix {@code redirect} routes, over raw sockets so
 * that the odd request targets arrive as written.
 */
class OpenRedirectsTest {

    @TempDir
    static Path dir;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("public/docs"));
        Files.writeString(dir.resolve("public/docs/index.html"), "docs");
        Files.createDirectories(dir.resolve("public/caf\u00e9"));
        Files.writeString(dir.resolve("public/caf\u00e9/index.html"), "cafe");
        gateway = GatewayFixture.start(dir, String.join("\n",
                "[static]", "root = \"public\"",
                "[[routes]]", "path = \"/files/*\"", "static = \"public\"",
                "[[routes]]", "path = \"/old/*\"", "redirect = \"/\"",
                "[[routes]]", "path = \"/moved/*\"", "redirect = \"https://new.example/\"",
                "[[routes]]", "path = \"/guide\"", "redirect = \"/index.html#configuration\"",
                ""));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** The Location of a redirect answered to {@code target}, checked against what makes an open redirect. */
    private static String location(String target, int status) throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(response.status()).as(target).isEqualTo(status);
            String location = response.header("location");
            assertThat(location).as(target).doesNotStartWith("//").doesNotStartWith("/\\").doesNotContain("\\");
            return location;
        }
    }

    @Test
    void staticDirectoryRedirectIsBuiltFromTheNormalizedPath() throws Exception {
        assertThat(location("/\\evil.example/%2e%2e/docs", 301)).isEqualTo("/docs/");
        assertThat(location("/%5Cevil.example/%2e%2e/docs", 301)).isEqualTo("/docs/");
        assertThat(location("/%5c%5cevil.example/../docs?x=1", 301)).isEqualTo("/docs/?x=1");
        assertThat(location("//docs", 301)).isEqualTo("/docs/");
        assertThat(location("/./docs", 301)).isEqualTo("/docs/");
    }

    @Test
    void staticDirectoryRedirectOnAPrefixRouteKeepsThePrefix() throws Exception {
        assertThat(location("/files/\\evil.example/%2e%2e/docs", 301)).isEqualTo("/files/docs/");
        assertThat(location("/files//docs", 301)).isEqualTo("/files//docs/");
    }

    @Test
    void staticDirectoryRedirectOfAnAbsoluteFormTarget() throws Exception {
        assertThat(location("http://evil.example//docs?q=1", 301)).isEqualTo("/docs/?q=1");
    }

    @Test
    void staticDirectoryRedirectPercentEncodesWhatAPathOrQueryMayNotHold() throws Exception {
        assertThat(location("/docs?a\\b", 301)).isEqualTo("/docs/?a%5Cb");
        assertThat(location("/docs?q=%2F%2F", 301)).isEqualTo("/docs/?q=%2F%2F");
        // The request line's bytes as sent: UTF-8 'é' raw, and already encoded.
        assertThat(location("/caf\u00c3\u00a9", 301)).isEqualTo("/caf%C3%A9/");
        assertThat(location("/caf%C3%A9", 301)).isEqualTo("/caf%C3%A9/");
    }

    @Test
    void redirectRouteCollapsesTheLeadingSlashesOfTheRemainder() throws Exception {
        assertThat(location("/old//evil.example", 302)).isEqualTo("/evil.example");
        assertThat(location("/old///evil.example/a?b=1", 302)).isEqualTo("/evil.example/a?b=1");
        assertThat(location("/old//", 302)).isEqualTo("/");
        assertThat(location("/moved//a/b?q=1", 302)).isEqualTo("https://new.example/a/b?q=1");
    }

    @Test
    void redirectRouteNeverPassesABackslash() throws Exception {
        assertThat(location("/old/\\evil.example", 302)).isEqualTo("/%5Cevil.example");
        assertThat(location("/old//\\evil.example", 302)).isEqualTo("/%5Cevil.example");
        assertThat(location("/old/a?x=\\y", 302)).isEqualTo("/a?x=%5Cy");
    }

    @Test
    void redirectRouteKeepsPercentEncodedSlashesAndBackslashesEncoded() throws Exception {
        assertThat(location("/old/%2F%2Fevil.example", 302)).isEqualTo("/%2F%2Fevil.example");
        assertThat(location("/old/%5C%5Cevil.example", 302)).isEqualTo("/%5C%5Cevil.example");
        assertThat(location("/old/%2f/evil.example", 302)).isEqualTo("/%2F/evil.example");
    }

    @Test
    void theQueryGoesBeforeTheLocationsFragment() throws Exception {
        assertThat(location("/guide?lang=en", 302)).isEqualTo("/index.html?lang=en#configuration");
        assertThat(location("/guide", 302)).isEqualTo("/index.html#configuration");
    }
}
