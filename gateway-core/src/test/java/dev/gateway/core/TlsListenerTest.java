package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [server.tls]: HTTPS on the main listener (files chunked through TLS) and the 308 redirect listener. */
class TlsListenerTest {

    @TempDir
    Path dir;

    @Test
    void servesStaticFilesOverHttpsAndRedirectsPlainHttp() throws Exception {
        writeCertificate();
        Files.createDirectories(dir.resolve("public"));
        byte[] big = new byte[3 * 1024 * 1024];
        new SecureRandom().nextBytes(big);
        Files.write(dir.resolve("public/big.bin"), big);
        try (GatewayFixture gateway = GatewayFixture.start(dir, "[server.tls]\ncert = \"server.crt\"\nkey = \"server.key\"\n"
                + "redirect_from = \"127.0.0.1:0\"\n", "[static]\nroot = \"public\"\n")) {
            HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + "/big.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(big);

            int redirectPort = gateway.server.httpsRedirectAddress().getPort();
            HttpResponse<String> redirect = client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + redirectPort + "/big.bin?x=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(redirect.statusCode()).isEqualTo(308);
            assertThat(redirect.headers().firstValue("location"))
                    .hasValue("https://localhost:" + gateway.port() + "/big.bin?x=1");
            // no ACME challenge pending: an unknown token is a 404, never a redirect
            HttpResponse<String> token = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + redirectPort
                    + "/.well-known/acme-challenge/unknown")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void relaysWebSocketsOverTls() throws Exception {
        writeCertificate();
        WebSocketEcho echo = new WebSocketEcho("echo");
        try (TestBackend backend = TestBackend.start(echo::handler);
             GatewayFixture gateway = GatewayFixture.start(dir, "[server.tls]\ncert = \"server.crt\"\nkey = \"server.key\"\n",
                     "[[routes]]\npath = \"/ws/*\"\nwebsocket = true\ntargets = [\"" + backend.url() + "\"]\n")) {
            HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(10)).build();
            WebSocketProbe probe = WebSocketProbe.open(client, URI.create("wss://localhost:" + gateway.port() + "/ws/tls"));
            assertThat(probe.roundTrip("over tls")).isEqualTo("over tls");
            byte[] data = new byte[1024 * 1024];
            new SecureRandom().nextBytes(data);
            probe.socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat((byte[]) probe.next()).isEqualTo(data);
            probe.socket.sendClose(1000, "done").get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(probe.next()).isEqualTo(new WebSocketProbe.Closed(1000, "done"));
        }
    }

    @Test
    void aClientThatNeverFinishesTheHandshakeIsClosedAfterHeaderTimeout() throws Exception {
        writeCertificate();
        try (GatewayFixture gateway = GatewayFixture.start(dir, "header_timeout = \"1s\"\n"
                + "[server.tls]\ncert = \"server.crt\"\nkey = \"server.key\"\n", "");
             RawConnection silent = gateway.raw();
             RawConnection partial = gateway.raw()) {
            partial.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // the start of a ClientHello, no more
            assertThat(silent.closedByPeer(30_000)).as("no ClientHello at all").isTrue();
            assertThat(partial.closedByPeer(30_000)).as("half a ClientHello").isTrue();
        }
    }

    private void writeCertificate() throws Exception {
        TestCertificates.write(dir);
    }

    static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return context;
    }
}
