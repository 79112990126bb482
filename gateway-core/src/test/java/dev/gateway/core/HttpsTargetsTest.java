package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code https://} targets: TLS with SNI and certificate checks against the JVM's trusted CAs. */
class HttpsTargetsTest {

    @TempDir
    static Path dir;
    static SelfSignedCertificate certificate;
    static SslContext serverTls;

    @BeforeAll
    static void certificate() throws Exception {
        certificate = new SelfSignedCertificate("localhost");
        serverTls = SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build();
    }

    @AfterAll
    static void cleanUp() {
        certificate.delete();
        TestTrustStore.reset();
    }

    @Test
    void untrustedTargetCertificateIs502AndNoPlaintextIsSent() throws Exception {
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend backend = TestBackend.startTls(serverTls, () -> BackendHandlers.recording(seen, "secret"));
             GatewayFixture gateway = GatewayFixture.start(Files.createDirectories(dir.resolve("untrusted")), "[[routes]]\npath = \"/*\"\nretries = 0\n"
                     + "targets = [\"https://localhost:" + backend.port() + "\"]\n")) {
            assertThat(gateway.get("/x").statusCode()).isEqualTo(502);
            assertThat(seen).as("the backend never saw a request").isEmpty();
        }
    }

    @Test
    void trustedTargetIsReachedOverTls() throws Exception {
        TestTrustStore.trustOnly(certificate.cert(), dir);
        try (TestBackend backend = TestBackend.startTls(serverTls, () -> BackendHandlers.ok("over tls"));
             GatewayFixture gateway = GatewayFixture.start(Files.createDirectories(dir.resolve("trusted")), "[[routes]]\npath = \"/*\"\n"
                     + "targets = [\"https://localhost:" + backend.port() + "\"]\n")) {
            assertThat(gateway.get("/x").body()).isEqualTo("over tls");
        }
    }
}
