package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.testkit.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frame sequences that attack HTTP/2 servers, written by hand: each is stopped by a limit, and a
 * well-behaved stream on the same kind of connection is served meanwhile.
 */
class Http2AttacksTest {

    private static final int ENHANCE_YOUR_CALM = 0xb;
    private static final int REFUSED_STREAM = 0x7;
    private static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;

    @TempDir
    static Path dir;
    static TestBackend backend;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(() -> BackendHandlers.ok("from the target"));
        Files.createDirectories(dir.resolve("public"));
        Files.write(dir.resolve("public/big.bin"), new byte[8 * 1024 * 1024]);
        Files.writeString(dir.resolve("public/small.txt"), "small");
        gateway = GatewayFixture.start(dir, "h2c = true\nsend_timeout = \"1s\"\nidle_timeout = \"2s\"\n",
                "[static]\nroot = \"public\"\n[[routes]]\npath = \"/api/*\"\ntargets = [\"" + backend.url() + "\"]\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    private static RawH2 connect(int... settings) throws IOException {
        RawH2 h2 = new RawH2(gateway.port()).preface(settings);
        h2.flush();
        return h2;
    }

    @Test
    void advertisesItsLimitsAndServesAWellBehavedStream() throws Exception {
        try (RawH2 h2 = connect()) {
            RawH2.Frame settings = h2.await(RawH2.SETTINGS, 0);
            assertThat(settings.setting(SETTINGS_MAX_CONCURRENT_STREAMS)).isEqualTo(100);
            assertThat(settings.setting(SETTINGS_INITIAL_WINDOW_SIZE)).isEqualTo(65536);
            h2.headers(1, h2.block("GET", "/api/x"), true).flush();
            assertThat(h2.body(1)).isEqualTo("from the target");
        }
    }

    @Test
    void connectionSpecificHeadersMakeAStreamMalformedAndNeverReachTheTarget() throws Exception {
        int before = backend.connections.get();
        try (RawH2 h2 = connect()) {
            h2.headers(1, h2.block("GET", "/api/x", "connection", "keep-alive"), true)
                    .headers(3, h2.block("GET", "/api/x", "transfer-encoding", "chunked"), true)
                    .headers(5, h2.block("GET", "/api/x", "te", "gzip"), true)
                    .headers(7, h2.block("GET", "/api/x", "te", "trailers"), true).flush();
            for (int stream : new int[] {1, 3, 5}) {
                RawH2.Frame reset = h2.await(RawH2.RST_STREAM, stream);
                assertThat(reset).as("RFC 9113 §8.2.2: stream %d is malformed", stream).isNotNull();
                assertThat(reset.errorCode()).isEqualTo(0x1); // PROTOCOL_ERROR
            }
            assertThat(h2.body(7)).as("TE: trailers is the one allowed value").isEqualTo("from the target");
        }
        assertThat(backend.connections.get() - before).as("only the valid stream reached the target").isLessThanOrEqualTo(1);
    }

    @Test
    void rapidResetGetsGoAway() throws Exception {
        try (RawH2 h2 = connect()) {
            byte[] block = h2.block("GET", "/api/reset");
            for (int stream = 1; stream < 2 * 1000; stream += 2) {
                h2.headers(stream, block, true).rst(stream, 0x8); // CANCEL, as fast as it can
            }
            h2.flush();
            RawH2.Frame goAway = h2.await(RawH2.GOAWAY, 0);
            assertThat(goAway).as("CVE-2023-44487: the server ends the connection").isNotNull();
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
        }
    }

    @Test
    void continuationFloodGetsGoAway() throws Exception {
        try (RawH2 h2 = connect()) {
            byte[] block = h2.block("GET", "/api/x");
            h2.frame(RawH2.HEADERS, 0, 1, block); // no END_HEADERS: CONTINUATION frames follow
            for (int i = 0; i < 10_000; i++) {
                h2.frame(RawH2.CONTINUATION, 0, 1, new byte[0]);
            }
            h2.flush();
            assertThat(h2.await(RawH2.GOAWAY, 0)).as("CVE-2024-27316: the header block is cut short").isNotNull();
        } catch (IOException e) {
            // the server closed while we were still writing: also cut short ("Connection reset" or,
            // when our write comes after the kernel saw the close, "Broken pipe")
            assertThat(e.getMessage()).containsAnyOf("reset", "Broken pipe");
        }
    }

    @Test
    void emptyDataFramesInARowGetGoAway() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, h2.block("POST", "/api/upload"), false);
            for (int i = 0; i < 100; i++) {
                h2.data(1, new byte[0], false);
            }
            h2.flush();
            assertThat(h2.await(RawH2.GOAWAY, 0)).isNotNull();
        }
    }

    @Test
    void aPingFloodFromAClientThatReadsNothingIsCut() throws Exception {
        try (RawH2 h2 = connect(SETTINGS_INITIAL_WINDOW_SIZE, 65535)) {
            CompletableFuture<Boolean> flood = CompletableFuture.supplyAsync(() -> {
                try {
                    for (int i = 0; i < 1_000_000; i++) {
                        h2.ping();
                    }
                    h2.flush();
                    return false;
                } catch (IOException e) {
                    return true; // the server closed the connection under the flood
                }
            });
            Eventually.await("the flooding connection closed", Duration.ofSeconds(60), () -> flood.isDone());
            assertThat(flood.get()).as("writes failed because the server closed").isTrue();
        }
    }

    @Test
    void streamsOverTheLimitAreRefused() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.await(RawH2.SETTINGS, 0);
            h2.frame(RawH2.SETTINGS, RawH2.ACK, 0, new byte[0]);
            byte[] block = h2.block("POST", "/api/open");
            for (int i = 0; i < 101; i++) {
                h2.headers(1 + 2 * i, block, false); // requests that never end: all stay open
            }
            h2.flush();
            RawH2.Frame reset = h2.await(RawH2.RST_STREAM, 201);
            assertThat(reset).as("the 101st stream").isNotNull();
            assertThat(reset.errorCode()).isEqualTo(REFUSED_STREAM);
        }
    }

    @Test
    void aStreamWhoseWindowNeverReopensIsResetAfterSendTimeoutWhileOthersAreServed() throws Exception {
        try (RawH2 h2 = connect(SETTINGS_INITIAL_WINDOW_SIZE, 16 * 1024)) {
            h2.windowUpdate(0, 1 << 30).flush(); // the connection may carry plenty; the stream will not
            h2.headers(1, h2.block("GET", "/big.bin"), true).flush();
            h2.headers(3, h2.block("GET", "/small.txt"), true).flush();
            assertThat(h2.body(3)).as("a stalled stream does not stall its neighbours").isEqualTo("small");
            RawH2.Frame reset = h2.await(RawH2.RST_STREAM, 1);
            assertThat(reset).as("the stalled stream is reset after send_timeout").isNotNull();
            assertThat(h2.closedByServer()).as("then the connection, idle, is closed").isTrue();
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterIdleTimeout() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, h2.block("GET", "/small.txt"), true).flush();
            assertThat(h2.body(1)).isEqualTo("small");
            RawH2.Frame goAway = h2.await(RawH2.GOAWAY, 0);
            assertThat(goAway).as("closed gracefully").isNotNull();
            assertThat(goAway.errorCode()).isZero();
        }
    }
}
