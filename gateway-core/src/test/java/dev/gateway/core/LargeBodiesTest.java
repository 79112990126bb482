package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies stream through the gateway: a 50 MB upload and a 500 MB download pass with the gateway's
 * pooled direct memory staying small, also when the client reads slowly.
 *
 * <p>PARANOID leak detection records a stack trace at every access of every buffer, which slows
 * these transfers to well under 1 MB/s; this class runs with SIMPLE (sampled) detection instead,
 * still failing on any leak reported, and restores PARANOID for the classes after it.
 */
class LargeBodiesTest {

    @BeforeAll
    static void sampledLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @AfterAll
    static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    private static final long MB = 1024 * 1024;
    /** Generous: a few pooled chunks per event loop; the bodies are 10-100x larger. */
    private static final long MEMORY_BOUND = 48 * MB;

    @TempDir
    Path dir;

    /** Samples the gateway's pooled direct memory (the test backends use Netty's default adaptive allocator). */
    private static final class MemoryProbe implements AutoCloseable {
        final AtomicLong peak = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread = new Thread(() -> {
            while (running.get()) {
                peak.accumulateAndGet(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(), Math::max);
                Thread.onSpinWait();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        MemoryProbe() {
            thread.start();
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void fiftyMegabyteUploadStreamsToTheTarget() throws Exception {
        long size = 50 * MB;
        try (TestBackend backend = TestBackend.start(BackendHandlers::countingUpload);
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\n");
             MemoryProbe memory = new MemoryProbe()) {
            HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size)), size))
                    .build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(Long.toString(size));
            memory.close();
            assertThat(memory.peak.get()).as("gateway pooled direct memory").isLessThan(MEMORY_BOUND);
        }
    }

    @Test
    void fiveHundredMegabyteDownloadStreamsToTheClient() throws Exception {
        long size = 500 * MB;
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.streamingDownload(size));
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\n");
             MemoryProbe memory = new MemoryProbe()) {
            HttpResponse<InputStream> response = gateway.client.send(
                    HttpRequest.newBuilder(gateway.uri("/download")).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(countMatchingPattern(response.body(), 0)).isEqualTo(size);
            memory.close();
            assertThat(memory.peak.get()).as("gateway pooled direct memory").isLessThan(MEMORY_BOUND);
        }
    }

    @Test
    void slowReadingClientDoesNotMakeTheGatewayBuffer() throws Exception {
        long size = 64 * MB;
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.streamingDownload(size));
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\n");
             MemoryProbe memory = new MemoryProbe();
             java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: e\r\n\r\n".getBytes());
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            long read = 0;
            // Read the first few MB slowly: the backend has far more to send than the gateway may hold.
            while (read < 4 * MB) {
                int n = in.read(buffer);
                assertThat(n).isPositive();
                read += n;
                Thread.sleep(1);
            }
            memory.close();
            assertThat(memory.peak.get()).as("gateway pooled direct memory with a slow reader").isLessThan(MEMORY_BOUND);
        }
    }

    /** Counts bytes and checks they follow the backend's pattern (byte i == i % 251). */
    private static long countMatchingPattern(InputStream in, long offset) throws Exception {
        byte[] buffer = new byte[256 * 1024];
        long count = 0;
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if ((buffer[i] & 0xFF) != (int) ((offset + count + i) % 251)) {
                        throw new AssertionError("byte " + (count + i) + " differs");
                    }
                }
                count += n;
            }
        }
        return count;
    }

    /** An input stream of {@code size} bytes following a pattern, without holding them in memory. */
    private static final class PatternStream extends InputStream {
        private final long size;
        private long position;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? (int) (position++ % 251) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position + i) % 251);
            }
            position += n;
            return n;
        }
    }
}
