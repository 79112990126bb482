package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/1.1 and 1.0 connection reuse, and pipelined requests answered one at a time in order. */
class KeepAliveAndPipeliningTest {

    @TempDir
    static Path dir;
    static GatewayFixture gateway;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        for (String name : new String[] {"a", "b", "c"}) {
            Files.writeString(dir.resolve("public/" + name + ".txt"), "file " + name);
        }
        gateway = GatewayFixture.start(dir, "[static]\nroot = \"public\"\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawConnection c = gateway.raw()) {
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /b.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /c.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /c.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().body()).isEqualTo("file a");
            assertThat(c.read().body()).isEqualTo("file b");
            RawConnection.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("6");
            assertThat(c.read().body()).isEqualTo("file c");
        }
    }

    @Test
    void http11ConnectionIsReused() throws Exception {
        try (RawConnection c = gateway.raw()) {
            for (int i = 0; i < 20; i++) {
                c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                RawConnection.Response response = c.read();
                assertThat(response.body()).isEqualTo("file a");
                assertThat(response.header("connection")).isNull();
            }
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosed() throws Exception {
        try (RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET /b.txt HTTP/1.0\r\n\r\n").read();
            assertThat(response.body()).isEqualTo("file b");
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }

    @Test
    void http10KeepAliveIsKept() throws Exception {
        try (RawConnection c = gateway.raw()) {
            for (int i = 0; i < 3; i++) {
                RawConnection.Response response = c.send("GET /b.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
                assertThat(response.body()).isEqualTo("file b");
                assertThat(response.header("connection")).isEqualToIgnoringCase("keep-alive");
            }
        }
    }
}
