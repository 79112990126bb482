package dev.gateway.staticfiles;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.staticfiles.StaticServer.RawResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every request here goes over a raw socket, byte for byte as written, because HTTP clients
 * normalise dot-segments and escapes before sending. The secret lives next to the site root
 * (the root is {@code <base>/site}, the secret {@code <base>/secret.txt} and
 * {@code <base>/outside/secret.txt}).
 */
class PathTraversalTest {

    @RegisterExtension
    static final StaticServer server = new StaticServer().spaFallback();

    private static final String SECRET = "TOP-SECRET-7f3c9a-never-serve-me";

    @BeforeAll
    static void files() throws IOException {
        Path root = server.root();
        Path outside = server.outside();
        Files.writeString(root.getParent().resolve("secret.txt"), SECRET);
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.writeString(root.resolve("index.html"), "index");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/a.html"), "a");
        Files.writeString(root.resolve("hello world.txt"), "spaced");
        Files.writeString(root.resolve("caf\u00e9.txt"), "utf8 name");
        Files.writeString(root.resolve(".env"), SECRET);
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), SECRET);
        Files.writeString(root.resolve("sub/.hidden"), SECRET);
        Files.createDirectories(root.resolve(".well-hidden"));
        Files.writeString(root.resolve(".well-hidden/file.txt"), SECRET);
        Files.createSymbolicLink(root.resolve("link-out.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("link-out-dir"), outside);
        Files.createSymbolicLink(root.resolve("link-relative.txt"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("link-to-git"), root.resolve(".git"));
        Files.createSymbolicLink(root.resolve("link-in.html"), root.resolve("sub/a.html"));
        Files.createSymbolicLink(root.resolve("link-in-dir"), root.resolve("sub"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../secret.txt",
        "/../../secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/sub/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/sub%2f..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
        "/..%5Csecret.txt",
        "/sub\\..\\..\\secret.txt",
        "/..%252fsecret.txt",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/....//secret.txt",
        "/..;/secret.txt",
        "//../secret.txt",
        "/./../secret.txt",
        "/../outside/secret.txt",
        "/%2e%2e/outside/secret.txt",
        "/sub/../../outside/secret.txt",
        "/secret.txt%00.html",
    })
    void traversalNeverLeavesTheRoot(String target) {
        RawResponse response = server.rawGet(target);

        assertThat(response.status()).as(target).isIn(400, 404);
        assertNoSecret(response, target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%zz", "/%4", "/a%", "/a%g0.txt", "/%c3%28.txt", "/sub/a.html%00", "/a%0a.txt"})
    void malformedEncodingIs400(String target) {
        RawResponse response = server.rawGet(target);

        assertThat(response.status()).as(target).isEqualTo(400);
        assertThat(response.bodyText()).contains("\"status\":400");
    }

    @Test
    void encodedSlashIsNotASeparator() {
        assertThat(server.rawGet("/sub/a.html").status()).isEqualTo(200);
        assertThat(server.rawGet("/sub%2Fa.html").status()).isEqualTo(404);
        assertThat(server.rawGet("/sub%2fa.html").status()).isEqualTo(404);
    }

    @Test
    void backslashIsNotASeparator() {
        assertThat(server.rawGet("/sub\\a.html").status()).isEqualTo(404);
        assertThat(server.rawGet("/sub%5Ca.html").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.env", "/%2eenv", "/.git/config", "/.git/", "/.git", "/sub/.hidden",
        "/.well-hidden/file.txt", "/sub/../.env", "/link-to-git/config"})
    void hiddenFilesAndDirectoriesAre404(String target) {
        RawResponse response = server.rawGet(target);

        assertThat(response.status()).as(target).isEqualTo(404);
        assertNoSecret(response, target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/link-out.txt", "/link-out-dir/secret.txt", "/link-relative.txt", "/link-out-dir/",
        "/link-out-dir"})
    void symlinksPointingOutsideTheRootAre404(String target) {
        RawResponse response = server.rawGet(target);

        assertThat(response.status()).as(target).isEqualTo(404);
        assertNoSecret(response, target);
    }

    @Test
    void symlinksInsideTheRootAreFollowed() {
        assertThat(server.rawGet("/link-in.html").bodyText()).isEqualTo("a");
        assertThat(server.rawGet("/link-in-dir/a.html").bodyText()).isEqualTo("a");
    }

    @Test
    void dotSegmentsThatStayInsideTheRootAreResolved() {
        assertThat(server.rawGet("/sub/../sub/./a.html").bodyText()).isEqualTo("a");
        assertThat(server.rawGet("/sub/%2e%2e/sub/a.html").bodyText()).isEqualTo("a");
    }

    @Test
    void percentEncodedNamesAreDecodedOnce() {
        assertThat(server.rawGet("/hello%20world.txt").bodyText()).isEqualTo("spaced");
        assertThat(server.rawGet("/caf%C3%A9.txt").bodyText()).isEqualTo("utf8 name");
        assertThat(server.rawGet("/hello%2520world.txt").status()).isEqualTo(404);
    }

    @Test
    void hiddenAndTraversalPathsDoNotFallBackToTheSpaIndex() {
        assertThat(server.rawGet("/.git").bodyText()).doesNotContain("index");
        assertThat(server.rawGet("/../secret").bodyText()).doesNotContain("index");
    }

    private static void assertNoSecret(RawResponse response, String target) {
        assertThat(new String(response.body(), UTF_8)).as(target).doesNotContain(SECRET).doesNotContain("SECRET");
        assertThat(response.header("content-length")).as(target).isEqualTo(String.valueOf(response.body().length));
    }
}
