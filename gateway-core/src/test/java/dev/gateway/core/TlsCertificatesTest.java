package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.testkit.Eventually;
import dev.gateway.testkit.TestPki;
import io.netty.handler.ssl.OpenSsl;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * [server.tls] certificates: chosen by SNI (exact before wildcard, wildcard one label deep, default
 * otherwise) with both engines; replaced on disk (written in place or swapped by symlink) without a
 * restart while open connections keep theirs; a bad new pair refused with the old one serving;
 * expiry in /metrics and /status.
 */
class TlsCertificatesTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    TestPki pki;

    @BeforeEach
    void certificates() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), "hello");
        pki = TestPki.ca("test ca");
        pki.server("default.test").write(dir, "default");
        pki.server("api.example.com").write(dir, "api");
        pki.server("*.example.com").write(dir, "wild");
    }

    private static String tls(String provider) {
        return tls(provider, "");
    }

    private static String tls(String provider, String keys) {
        return "[server.tls]\ncert = \"default.crt\"\nkey = \"default.key\"\nprovider = \"" + provider + "\"\n" + keys
                + "[[server.tls.certificates]]\ncert = \"wild.crt\"\nkey = \"wild.key\"\n"
                + "[[server.tls.certificates]]\ncert = \"api.crt\"\nkey = \"api.key\"\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void sniPicksExactThenWildcardThenDefault(String provider) throws Exception {
        assumeTrue(!provider.equals("openssl") || OpenSsl.isAvailable(),
                "OpenSSL (netty-tcnative) does not load here: " + OpenSsl.unavailabilityCause());
        try (GatewayFixture gateway = GatewayFixture.start(dir, tls(provider), "[static]\nroot = \"public\"\n")) {
            int port = gateway.port();
            assertThat(gateway.server.tls().engine()).startsWith(provider);
            assertThat(TlsClient.servedName(port, "api.example.com")).isEqualTo("api.example.com");
            assertThat(TlsClient.servedName(port, "API.Example.COM")).isEqualTo("api.example.com");
            assertThat(TlsClient.servedName(port, "shop.example.com")).isEqualTo("*.example.com");
            assertThat(TlsClient.servedName(port, "a.shop.example.com")).isEqualTo("default.test");
            assertThat(TlsClient.servedName(port, "example.com")).isEqualTo("default.test");
            assertThat(TlsClient.servedName(port, "other.org")).isEqualTo("default.test");
            assertThat(TlsClient.servedName(port, null)).isEqualTo("default.test");
            try (TlsClient client = TlsClient.connect(port, "shop.example.com")) {
                assertThat(client.get("/index.html")).startsWith("HTTP/1.1 200").endsWith("hello");
                assertThat(client.socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "openssl"})
    void minVersionAndAlpnAreEnforced(String provider) throws Exception {
        assumeTrue(!provider.equals("openssl") || OpenSsl.isAvailable(), "OpenSSL does not load here");
        try (GatewayFixture gateway = GatewayFixture.start(dir, tls(provider, "min_version = \"TLSv1.3\"\n"),
                "[static]\nroot = \"public\"\n")) {
            try (TlsClient client = TlsClient.connect(gateway.port(), "api.example.com", null, List.of("h2", "http/1.1"))) {
                assertThat(client.socket.getApplicationProtocol()).as("http2 = true: h2 first").isEqualTo("h2");
                assertThat(client.socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            try (TlsClient client = TlsClient.connect(gateway.port(), "api.example.com", null, List.of("http/1.1"))) {
                assertThat(client.socket.getApplicationProtocol()).isEqualTo("http/1.1");
            }
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {TlsClient.TRUST_ALL}, null);
            try (javax.net.ssl.SSLSocket old = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                    .createSocket("127.0.0.1", gateway.port())) {
                old.setEnabledProtocols(new String[] {"TLSv1.2"});
                org.assertj.core.api.Assertions.assertThatThrownBy(old::startHandshake)
                        .isInstanceOf(java.io.IOException.class);
            }
        }
    }

    @Test
    void aRenewedCertificateIsServedToNewHandshakesWhileAnOpenConnectionKeepsItsOwn() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, tls("auto"), "[static]\nroot = \"public\"\n");
             TlsClient open = TlsClient.connect(gateway.port(), "api.example.com")) {
            assertThat(open.get("/index.html")).startsWith("HTTP/1.1 200");
            java.math.BigInteger before = open.peer().getSerialNumber();

            TestPki.Issued renewed = pki.server("api.example.com");
            writeAtomically(renewed, "api");

            Eventually.await("the renewed certificate is served", LIMIT, () -> serial(gateway, "api.example.com")
                    .equals(renewed.certificate().getSerialNumber()));
            assertThat(open.get("/index.html")).startsWith("HTTP/1.1 200").endsWith("hello");
            assertThat(open.peer().getSerialNumber()).isEqualTo(before);
            assertThat(gateway.server.tls().refusedCount()).isZero();
        }
    }

    @Test
    void aBrokenMismatchedOrExpiredPairIsRefusedAndTheOldOneKeepsServing() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, tls("auto"), "[static]\nroot = \"public\"\n")) {
            java.math.BigInteger serving = serial(gateway, "api.example.com");

            Files.writeString(dir.resolve("api.crt.tmp"), "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
            Files.move(dir.resolve("api.crt.tmp"), dir.resolve("api.crt"), StandardCopyOption.ATOMIC_MOVE);
            Eventually.await("the broken certificate is refused", LIMIT, () -> lastError(gateway) != null);
            assertThat(lastError(gateway)).contains("api.crt", "not a PEM certificate chain");

            pki.server("api.example.com").write(dir.resolve("api.crt.tmp"), dir.resolve("other.key"));
            Files.move(dir.resolve("api.crt.tmp"), dir.resolve("api.crt"), StandardCopyOption.ATOMIC_MOVE);
            Eventually.await("the mismatched pair is refused", LIMIT, () -> String.valueOf(lastError(gateway))
                    .contains("does not match"));

            TestPki.Issued expired = pki.issue(Instant.now().minus(Duration.ofDays(30)),
                    Instant.now().minus(Duration.ofDays(1)), false, "api.example.com");
            writeAtomically(expired, "api");
            Eventually.await("the expired certificate is refused", LIMIT, () -> String.valueOf(lastError(gateway))
                    .contains("expired"));

            assertThat(serial(gateway, "api.example.com")).isEqualTo(serving);
            assertThat(gateway.server.tls().refusedCount()).isGreaterThanOrEqualTo(3);
            assertThat(new Scrape(metrics(gateway)).value("gateway_tls_certificate_reloads_total", "result", "refused"))
                    .isGreaterThanOrEqualTo(3);

            // a reload (SIGHUP, POST /reload) refuses it the same way, and applies the rest
            assertThat(gateway.reload().applied()).isTrue();
            assertThat(serial(gateway, "api.example.com")).isEqualTo(serving);
        }
    }

    @Test
    void aSymlinkSwapLikeKubernetesSecretsIsSeen() throws Exception {
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Path first = Files.createDirectories(secret.resolve("..2026_01"));
        pki.server("api.example.com").write(first, "tls");
        Files.createSymbolicLink(secret.resolve("..data"), first.getFileName());
        Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data/tls.key"));
        String config = "[server.tls]\ncert = \"secret/tls.crt\"\nkey = \"secret/tls.key\"\n";
        try (GatewayFixture gateway = GatewayFixture.start(dir, config, "[static]\nroot = \"public\"\n")) {
            Path second = Files.createDirectories(secret.resolve("..2026_02"));
            TestPki.Issued renewed = pki.server("api.example.com").write(second, "tls");
            Files.createSymbolicLink(secret.resolve("..data_tmp"), second.getFileName());
            Files.move(secret.resolve("..data_tmp"), secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

            Eventually.await("the swapped certificate is served", LIMIT, () -> serial(gateway, "api.example.com")
                    .equals(renewed.certificate().getSerialNumber()));
        }
    }

    @Test
    void expiryIsInMetricsAndStatus() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir, tls("auto"), "[static]\nroot = \"public\"\n")) {
            long notAfter = pkiNotAfter("api.crt");
            Scrape scrape = new Scrape(metrics(gateway));
            String expiry = "gateway_tls_certificate_expiry_timestamp_seconds";
            assertThat(scrape.value(expiry, "name", "api.example.com")).isEqualTo((double) notAfter);
            assertThat(scrape.value(expiry, "name", "*.example.com")).isPositive();
            assertThat(scrape.value(expiry, "name", "default.test")).isPositive();
            JsonNode tls = status(gateway).get("tls");
            assertThat(tls.get("engine").asText()).isNotEmpty();
            JsonNode api = tls.get("certificates").get(2);
            assertThat(api.get("source").asText()).isEqualTo("server.tls.certificates[1]");
            assertThat(api.get("name").asText()).isEqualTo("api.example.com");
            assertThat(Instant.parse(api.get("not_after").asText()).getEpochSecond()).isEqualTo(notAfter);
            assertThat(api.get("expires_in_seconds").asLong()).isPositive();
            assertThat(tls.get("certificates").get(0).get("default").asBoolean()).isTrue();
        }
    }

    private long pkiNotAfter(String file) {
        return dev.gateway.config.pem.PemFiles.certificates(dir.resolve(file)).get(0).getNotAfter().toInstant()
                .getEpochSecond();
    }

    private void writeAtomically(TestPki.Issued issued, String name) throws Exception {
        // key first, then the certificate, each by rename: what certbot and most tools do
        issued.write(dir.resolve(name + ".crt.tmp"), dir.resolve(name + ".key.tmp"));
        Files.move(dir.resolve(name + ".key.tmp"), dir.resolve(name + ".key"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(dir.resolve(name + ".crt.tmp"), dir.resolve(name + ".crt"), StandardCopyOption.ATOMIC_MOVE);
    }

    private static java.math.BigInteger serial(GatewayFixture gateway, String name) {
        try (TlsClient client = TlsClient.connect(gateway.port(), name)) {
            return client.peer().getSerialNumber();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lastError(GatewayFixture gateway) {
        return gateway.server.tls().certificates().stream().filter(c -> c.source().equals("server.tls.certificates[1]"))
                .findFirst().orElseThrow().lastError();
    }

    static String metrics(GatewayFixture gateway) throws Exception {
        return gateway.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.server.adminAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static JsonNode status(GatewayFixture gateway) throws Exception {
        HttpResponse<String> response = gateway.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.server.adminAddress().getPort() + "/status")).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
