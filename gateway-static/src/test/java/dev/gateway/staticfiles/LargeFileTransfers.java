package dev.gateway.staticfiles;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gateway.testkit.Eventually;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Large-file behaviour shared by the zero-copy (plain) and chunked (TLS) write paths: a 20 MB
 * file served whole, by range and as multipart with every byte compared, and the file descriptor
 * closed after each response, also when the client hangs up mid-download.
 */
abstract class LargeFileTransfers {

    static final int SIZE = 20 * 1024 * 1024;

    private static byte[] content;

    abstract StaticServer server();

    @BeforeEach
    void largeFile() throws IOException {
        if (content == null) {
            content = new byte[SIZE];
            new Random(42).nextBytes(content);
        }
        Path file = server().root().resolve("big.bin");
        if (!Files.exists(file)) {
            Files.write(file, content);
        }
    }

    @Test
    void largeFileIsServedWhole() throws IOException {
        HttpResponse<byte[]> response = server().get("/big.bin");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length")).hasValue(String.valueOf(SIZE));
        assertThat(Arrays.equals(response.body(), content)).as("20 MB body identical").isTrue();
        awaitClosed();
    }

    @Test
    void largeFileIsServedByRange() throws IOException {
        int first = 7_654_321;
        int last = 15_000_000;

        HttpResponse<byte[]> response = server().get("/big.bin", "Range", "bytes=" + first + "-" + last);

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("content-range")).hasValue("bytes " + first + "-" + last + "/" + SIZE);
        assertThat(Arrays.equals(response.body(), Arrays.copyOfRange(content, first, last + 1))).isTrue();
        awaitClosed();
    }

    @Test
    void largeFileIsServedAsMultipart() throws IOException {
        HttpResponse<byte[]> response = server().get("/big.bin", "Range", "bytes=0-99999,10000000-14999999,-3");

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("content-length")).hasValue(String.valueOf(response.body().length));
        List<MultipartBody.Part> parts = MultipartBody.parse(response.body(),
                MultipartBody.boundaryOf(response.headers().firstValue("content-type").orElseThrow()));
        assertThat(parts).hasSize(3);
        assertThat(Arrays.equals(parts.get(0).data(), Arrays.copyOfRange(content, 0, 100_000))).isTrue();
        assertThat(Arrays.equals(parts.get(1).data(), Arrays.copyOfRange(content, 10_000_000, 15_000_000))).isTrue();
        assertThat(parts.get(2).data()).isEqualTo(Arrays.copyOfRange(content, SIZE - 3, SIZE));
        awaitClosed();
    }

    @Test
    void fileIsClosedWhenTheClientDisconnectsMidDownload() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc to count open files");
        try (Socket socket = server().openSocket()) {
            socket.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            assertThat(in.readNBytes(buffer, 0, buffer.length)).isEqualTo(buffer.length);
            Eventually.await("the server to hold big.bin open while the client stalls", () -> openHandles() == 1);
            socket.setSoLinger(true, 0);
        }
        awaitClosed();
    }

    private void awaitClosed() {
        if (Files.isDirectory(Path.of("/proc/self/fd"))) {
            Eventually.await("big.bin to be closed", () -> openHandles() == 0);
        }
    }

    /** How many descriptors of this JVM point at big.bin. */
    private long openHandles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            Path file = server().root().resolve("big.bin").toRealPath();
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
