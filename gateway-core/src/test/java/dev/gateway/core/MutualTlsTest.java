package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.proxy.upstream.UpstreamTlsContexts;
import dev.gateway.testkit.Eventually;
import dev.gateway.testkit.TestPki;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS both ways. From clients: {@code client_auth} with {@code client_ca}, the verified
 * certificate forwarded in {@code x-forwarded-client-cert} (Envoy's format), a client's own copy of
 * that header always removed. To targets: an upstream's {@code tls = { ca, cert, key, server_name,
 * verify }}, used by requests and health checks alike.
 */
class MutualTlsTest {

    @TempDir
    Path dir;
    TestPki clients;
    TestPki backends;
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    /** Where the upstream TLS settings are loaded, and the verify = false warning comes from. */
    final Logger upstreamTlsLog = (Logger) LoggerFactory.getLogger(UpstreamTlsContexts.class);

    @BeforeEach
    void pki() throws Exception {
        clients = TestPki.ca("client ca");
        backends = TestPki.ca("backend ca");
        clients.authority().write(dir, "client-ca");
        backends.authority().write(dir, "backend-ca");
        TestPki.selfSigned("gateway.test").write(dir, "server");
        backends.client("gateway-to-backends").write(dir, "gateway-client");
        logs.start();
        upstreamTlsLog.addAppender(logs);
    }

    @AfterEach
    void logsOff() {
        upstreamTlsLog.detachAppender(logs);
    }

    private String inbound(String clientAuth) {
        return "[server.tls]\ncert = \"server.crt\"\nkey = \"server.key\"\nclient_auth = \"" + clientAuth + "\"\n"
                + "client_ca = \"client-ca.crt\"\n";
    }

    @Test
    void requiredClientCertificatesAreVerifiedAndForwardedAndForgedCopiesRemoved() throws Exception {
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        TestPki.Issued alice = clients.client("alice", "alice.example.com");
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, inbound("require"),
                     "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\n")) {
            try (TlsClient client = TlsClient.connect(gateway.port(), "gateway.test", alice, List.of())) {
                assertThat(client.get("/", "x-forwarded-client-cert: Hash=forged;Subject=\"CN=admin\""))
                        .startsWith("HTTP/1.1 200");
            }
            String xfcc = seen.poll(10, TimeUnit.SECONDS).headers().get("x-forwarded-client-cert");
            assertThat(xfcc).isEqualTo("Hash=" + sha256(alice.certificate()) + ";Subject=\"CN=alice\""
                    + ";DNS=alice.example.com");

            // no certificate, or one from another CA: no request gets through
            assertThatThrownBy(() -> {
                try (TlsClient anonymous = TlsClient.connect(gateway.port(), "gateway.test")) {
                    anonymous.get("/");
                }
            }).isInstanceOf(IOException.class);
            TestPki.Issued stranger = TestPki.ca("other ca").client("mallory");
            assertThatThrownBy(() -> {
                try (TlsClient other = TlsClient.connect(gateway.port(), "gateway.test", stranger, List.of())) {
                    other.get("/");
                }
            }).isInstanceOf(IOException.class);
            assertThat(seen).isEmpty();
        }
    }

    @Test
    void optionalClientCertificatesLetOthersInWithoutTheHeader() throws Exception {
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, inbound("optional"),
                     "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\n")) {
            try (TlsClient anonymous = TlsClient.connect(gateway.port(), "gateway.test")) {
                assertThat(anonymous.get("/", "X-Forwarded-Client-Cert: Subject=\"CN=admin\"")).startsWith("HTTP/1.1 200");
            }
            assertThat(seen.poll(10, TimeUnit.SECONDS).headers()).doesNotContainKey("x-forwarded-client-cert");
        }
    }

    @Test
    void theForwardedClientCertHeaderIsRemovedOnPlainListenersToo() throws Exception {
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, "trusted_proxies = [\"127.0.0.1\"]\n",
                     "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\n")) {
            gateway.client.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/"))
                    .header("X-Forwarded-Client-Cert", "Subject=\"CN=admin\"").build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(seen.poll(10, TimeUnit.SECONDS).headers()).doesNotContainKey("x-forwarded-client-cert");
        }
    }

    @Test
    void upstreamTlsPresentsTheGatewaysCertificateAndChecksTheTargetsForRequestsAndHealthChecks() throws Exception {
        TestPki.Issued backendCert = backends.server("backend.internal");
        SslContext backendTls = SslContextBuilder.forServer(backendCert.key(), backendCert.chain())
                .trustManager(backends.authority().certificate()).clientAuth(ClientAuth.REQUIRE).build();
        try (TestBackend backend = TestBackend.startTls(backendTls, () -> BackendHandlers.ok("secure"));
             GatewayFixture gateway = GatewayFixture.start(dir, "", """
                     [[routes]]
                     path = "/*"
                     upstream = "secure"
                     [upstreams.secure]
                     targets = ["https://127.0.0.1:%d"]
                     tls = { ca = "backend-ca.crt", cert = "gateway-client.crt", key = "gateway-client.key", server_name = "backend.internal" }
                     health_check = { type = "http", path = "/health", interval = "200ms", timeout = "200ms" }
                     """.formatted(backend.port()))) {
            assertThat(gateway.client.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/x")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("secure");
            Eventually.await("a passed TLS health check", Duration.ofSeconds(30), () -> lastCheckPassed(gateway));
        }
    }

    @Test
    void aTargetWhoseNameOrCaDoesNotMatchIsRefusedUnlessVerifyIsOffWhichIsWarnedAbout() throws Exception {
        TestPki.Issued backendCert = backends.server("backend.internal");
        SslContext backendTls = SslContextBuilder.forServer(backendCert.key(), backendCert.chain()).build();
        try (TestBackend backend = TestBackend.startTls(backendTls, () -> BackendHandlers.ok("secure"))) {
            String upstream = "[[routes]]\npath = \"/*\"\nupstream = \"secure\"\n[upstreams.secure]\n"
                    + "targets = [\"https://127.0.0.1:" + backend.port() + "\"]\n";
            try (GatewayFixture gateway = GatewayFixture.start(dir, "", upstream + "tls = { ca = \"backend-ca.crt\" }\n")) {
                // 127.0.0.1 is not a name of the certificate
                assertThat(gateway.client.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(502);
            }
            try (GatewayFixture gateway = GatewayFixture.start(dir, "", upstream + "tls = { verify = false }\n")) {
                assertThat(gateway.client.send(java.net.http.HttpRequest.newBuilder(gateway.uri("/")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("secure");
                assertThat(logs.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
                        .contains("upstreams.secure.tls.verify = false"));
                logs.list.clear();
                gateway.reload();
                assertThat(logs.list).anySatisfy(event -> assertThat(event.getFormattedMessage())
                        .contains("upstreams.secure.tls.verify = false"));
            }
        }
    }

    private static boolean lastCheckPassed(GatewayFixture gateway) {
        try {
            JsonNode check = TlsCertificatesTest.status(gateway).get("pools").get(0).get("targets").get(0)
                    .get("health").get("last_check");
            return check != null && check.has("passed") && check.get("passed").asBoolean();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(X509Certificate certificate) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

}
