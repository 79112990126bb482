package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 502 / 504 / truncated responses: a failing target gets the right status and never hangs the client. */
class UpstreamFailuresTest {

    @TempDir
    Path dir;

    private GatewayFixture gateway(String target, String routeKeys) throws Exception {
        return GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\n" + routeKeys + "\ntargets = [\"" + target + "\"]\n");
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void refusedConnectionIs502WithJsonBody() throws Exception {
        try (GatewayFixture gateway = gateway("http://127.0.0.1:" + freePort(), "retries = 0");
             RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET /x HTTP/1.1\r\nHost: e\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(502);
            assertThat(response.body()).contains("\"status\":502", response.header("x-request-id"));
            // the client connection survives a failed target
            assertThat(c.send("GET /x HTTP/1.1\r\nHost: e\r\n\r\n").read().status()).isEqualTo(502);
        }
    }

    @Test
    void silentTargetIs504AfterTheRouteTimeout() throws Exception {
        try (TestBackend backend = TestBackend.start(BackendHandlers::silent);
             GatewayFixture gateway = gateway(backend.url(), "timeout = \"300ms\"");
             RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET /x HTTP/1.1\r\nHost: e\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(504);
        }
    }

    @Test
    void targetClosingWithoutAnswerIs502() throws Exception {
        try (TestBackend backend = TestBackend.start(BackendHandlers::closeWithoutAnswer);
             GatewayFixture gateway = gateway(backend.url(), "retries = 0");
             RawConnection c = gateway.raw()) {
            assertThat(c.send("GET /x HTTP/1.1\r\nHost: e\r\n\r\n").read().status()).isEqualTo(502);
        }
    }

    @Test
    void invalidResponseIs502() throws Exception {
        try (ServerSocket garbage = new ServerSocket(0)) {
            Thread server = new Thread(() -> {
                try (java.net.Socket s = garbage.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    s.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes());
                    s.getOutputStream().flush();
                    s.getInputStream().read();
                } catch (Exception ignored) {
                    // the gateway hangs up
                }
            });
            server.start();
            try (GatewayFixture gateway = gateway("http://127.0.0.1:" + garbage.getLocalPort(), "retries = 0");
                 RawConnection c = gateway.raw()) {
                assertThat(c.send("GET /x HTTP/1.1\r\nHost: e\r\n\r\n").read().status()).isEqualTo(502);
            }
            server.join(10_000);
        }
    }

    @Test
    void resetAfterResponseBytesClosesTheClientConnectionShortOfContentLength() throws Exception {
        try (TestBackend backend = TestBackend.start(BackendHandlers::truncating);
             GatewayFixture gateway = gateway(backend.url(), "");
             RawConnection c = gateway.raw()) {
            RawConnection.Response response = c.send("GET /x HTTP/1.1\r\nHost: e\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-length")).isEqualTo("1000");
            assertThat(response.body()).as("never looks complete").hasSizeLessThan(1000);
            assertThat(c.closedByPeer(10_000)).isTrue();
        }
    }
}
