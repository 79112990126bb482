package dev.gateway.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata cache answers repeated requests from memory, yet every change a single stat can see
 * (replaced, edited, deleted file; retargeted symlink) counts at once, and sibling changes within
 * the revalidation period.
 */
class FileCacheTest {

    @TempDir
    Path root;
    private FileCache cache;

    @BeforeEach
    void setUp() throws IOException {
        cache = new FileCache(new RequestPathResolver(root, root.toRealPath(), "index.html", false));
    }

    @Test
    void aRepeatedRequestIsAnsweredFromTheCache() throws IOException {
        Files.writeString(root.resolve("a.txt"), "one");
        Resolution first = cache.resolve("/a.txt");
        assertThat(cache.resolve("/a.txt")).isSameAs(first);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aFileReplacedByRenameIsSeenAtOnce() throws IOException {
        Files.writeString(root.resolve("a.txt"), "one");
        Resolution first = cache.resolve("/a.txt");
        Path staged = Files.writeString(root.resolve("a.txt.new"), "one");
        Files.move(staged, root.resolve("a.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(cache.resolve("/a.txt")).isNotSameAs(first);
    }

    @Test
    void aFileEditedInPlaceIsSeenAtOnce() throws IOException {
        Path file = Files.writeString(root.resolve("a.txt"), "one");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Resolution first = cache.resolve("/a.txt");
        Files.writeString(file, "two");     // same size, same inode: only the time differs
        Resolution second = cache.resolve("/a.txt");
        assertThat(second).isNotSameAs(first);
        assertThat(second.representations().identity().etag()).isNotEqualTo(first.representations().identity().etag());
    }

    @Test
    void aDeletedFileIsNotFoundAtOnce() throws IOException {
        Files.writeString(root.resolve("a.txt"), "one");
        cache.resolve("/a.txt");
        Files.delete(root.resolve("a.txt"));
        assertThat(cache.resolve("/a.txt").kind()).isEqualTo(Resolution.Kind.REFUSED);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aSymlinkRetargetedOutsideTheRootIsRefusedAtOnce(@TempDir Path outside) throws IOException {
        Files.writeString(root.resolve("real.txt"), "inside");
        Files.writeString(outside.resolve("secret.txt"), "outside");
        Path link = Files.createSymbolicLink(root.resolve("link.txt"), root.resolve("real.txt"));
        assertThat(cache.resolve("/link.txt").kind()).isEqualTo(Resolution.Kind.FILE);
        Files.delete(link);
        Files.createSymbolicLink(link, outside.resolve("secret.txt"));
        assertThat(cache.resolve("/link.txt").kind()).isEqualTo(Resolution.Kind.REFUSED);
    }

    @Test
    void aNewPrecompressedSiblingIsPickedUpAfterRevalidation() throws Exception {
        Files.writeString(root.resolve("app.js"), "console.log(1)");
        assertThat(cache.resolve("/app.js").representations().br()).isNull();
        Files.writeString(root.resolve("app.js.br"), "brotli bytes");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (cache.resolve("/app.js").representations().br() == null) {
            assertThat(Instant.now()).as("sibling seen within the revalidation period").isBefore(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void theSpaFallbackAndMissesAreNotCached() throws IOException {
        FileCache spa = new FileCache(new RequestPathResolver(root, root.toRealPath(), "index.html", true));
        Files.writeString(root.resolve("index.html"), "app");
        assertThat(spa.resolve("/some/client/route").kind()).isEqualTo(Resolution.Kind.FILE);
        assertThat(spa.resolve("/missing.txt").kind()).isEqualTo(Resolution.Kind.REFUSED);
        assertThat(spa.size()).isZero();
    }

    @Test
    void sizeIsBoundedWhateverClientsAskFor() throws IOException {
        for (int i = 0; i < FileCache.MAX_ENTRIES + 50; i++) {
            Files.writeString(root.resolve(i + ".txt"), "x");
            assertThat(cache.resolve("/" + i + ".txt").kind()).isEqualTo(Resolution.Kind.FILE);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(FileCache.MAX_ENTRIES);
    }

    @Test
    void overLongPathsAreServedButNotKept() throws IOException {
        Path deep = Files.createDirectories(root.resolve("d".repeat(200)).resolve("e".repeat(200)));
        Files.writeString(deep.resolve("f.txt"), "long");
        String path = "/" + root.relativize(deep.resolve("f.txt"));
        assertThat(path.length()).isGreaterThan(FileCache.MAX_KEY_LENGTH);
        assertThat(cache.resolve(path).kind()).isEqualTo(Resolution.Kind.FILE);
        assertThat(cache.size()).isZero();
    }
}
