package dev.gateway.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Atomic deploys swap a {@code current -> releases/vN} symlink; the site follows without a reload. */
class RootSymlinkSwapTest {

    @RegisterExtension
    static final StaticServer server = new StaticServer().rootViaSymlink();

    @Test
    void swappingTheRootSymlinkServesTheNewReleaseAtOnce() throws IOException {
        Path link = server.root();
        Path v1 = link.toRealPath();
        Files.writeString(v1.resolve("index.html"), "release one");
        Files.writeString(v1.resolve("only-in-v1.txt"), "old");
        assertThat(server.rawGet("/").bodyText()).isEqualTo("release one");

        Path v2 = Files.createDirectories(v1.resolveSibling("v2"));
        Files.writeString(v2.resolve("index.html"), "release two");
        Path staging = link.resolveSibling("site.new");
        Files.createSymbolicLink(staging, v2);
        Files.move(staging, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(server.rawGet("/").bodyText()).isEqualTo("release two");
        assertThat(server.rawGet("/index.html").bodyText()).isEqualTo("release two");
        assertThat(server.rawGet("/only-in-v1.txt").status()).isEqualTo(404);
    }
}
