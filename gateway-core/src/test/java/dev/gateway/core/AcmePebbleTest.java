package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.config.load.ConfigLoader;
import dev.gateway.core.acme.AcmeDomainStatus;
import dev.gateway.testkit.Eventually;
import dev.gateway.testkit.ExternalCommands;
import dev.gateway.testkit.TestPki;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * [acme] against Pebble, the ACME test CA (Debian packages pebble, which has pebble-challtestsrv for
 * DNS that resolves every test name to 127.0.0.1): a certificate issued by http-01 (answered on
 * redirect_from) and by tls-alpn-01 (on the TLS listener), served at once, stored with its key 0600,
 * reused after a restart without asking the CA, and renewed on demand. Skipped without Pebble.
 */
class AcmePebbleTest {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TempDir
    static Path pebbleDir;
    static final List<Process> processes = new ArrayList<>();
    static int directoryPort;
    static int httpsPort;
    static int httpPort;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPebble() throws Exception {
        assumeTrue(ExternalCommands.onPath("pebble") && ExternalCommands.onPath("pebble-challtestsrv"),
                "Pebble is not installed (apt-get install pebble): the ACME tests need the pebble and "
                        + "pebble-challtestsrv commands");
        TestPki pki = TestPki.ca("pebble listener ca");
        pki.server("localhost").write(pebbleDir, "pebble");
        pki.authority().write(pebbleDir, "pebble-ca");
        int dnsPort = freePort();
        directoryPort = freePort();
        httpsPort = freePort();
        httpPort = freePort();
        Files.writeString(pebbleDir.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(directoryPort, freePort(), pebbleDir.resolve("pebble.crt"), pebbleDir.resolve("pebble.key"),
                httpPort, httpsPort));
        start(List.of("pebble-challtestsrv", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
                "-dns01", "127.0.0.1:" + dnsPort, "-http01", "", "-https01", "", "-tlsalpn01", "",
                "-management", "127.0.0.1:" + freePort()), Map.of(), "challtestsrv.log");
        start(List.of("pebble", "-config", pebbleDir.resolve("pebble.json").toString(),
                "-dnsserver", "127.0.0.1:" + dnsPort),
                // no authorization reuse: every order (renewals included) proves control anew
                Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "0"), "pebble.log");
        Eventually.await("Pebble listening on " + directoryPort, Duration.ofSeconds(30), () -> listening(directoryPort));
    }

    @AfterAll
    static void stopPebble() throws Exception {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void http01IssuesServesStoresReusesAfterRestartAndRenews() throws Exception {
        String domain = "http.gw.test";
        Path file = config(domain, "http-01", "redirect_from = \"127.0.0.1:" + httpPort + "\"\n");
        BigInteger issued;
        try (GatewayFixture gateway = GatewayFixture.of(dir, GatewayServer.start(ConfigLoader.load(file, Map.of())))) {
            issued = awaitIssued(gateway, domain);
            JsonNode status = TlsCertificatesTest.status(gateway);
            assertThat(status.get("acme").get("domains").get(0).get("state").asText()).isEqualTo("valid");
            assertThat(status.get("tls").get("certificates").toString()).contains("acme:" + domain);
            assertThat(new Scrape(TlsCertificatesTest.metrics(gateway))
                    .value("gateway_tls_certificate_expiry_timestamp_seconds", "name", domain)).isPositive();
        }
        Path key = dir.resolve("acme").resolve(domain).resolve("key.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("acme/account.key"))))
                .isEqualTo("rw-------");

        try (GatewayFixture gateway = GatewayFixture.of(dir, GatewayServer.start(ConfigLoader.load(file, Map.of())))) {
            // served from storage at once: the CA is not asked
            assertThat(serial(gateway, domain)).isEqualTo(issued);
            AcmeDomainStatus stored = gateway.server.acme().domains().get(0);
            assertThat(stored.lastAttempt()).isNull();
            assertThat(stored.renewAt()).isAfter(java.time.Instant.now());

            AcmeDomainStatus renewed = gateway.server.acme().renewNow(domain).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(renewed.lastError()).isNull();
            assertThat(renewed.state()).isEqualTo("valid");
            assertThat(serial(gateway, domain)).isNotEqualTo(issued);
        }
    }

    @Test
    void tlsAlpn01IssuesOnTheTlsListener() throws Exception {
        String domain = "alpn.gw.test";
        Path file = config(domain, "tls-alpn-01", "");
        try (GatewayFixture gateway = GatewayFixture.of(dir, GatewayServer.start(ConfigLoader.load(file, Map.of())))) {
            awaitIssued(gateway, domain);
            // an ordinary client never gets the validation certificate
            try (TlsClient client = TlsClient.connect(gateway.port(), domain, null, List.of("http/1.1"))) {
                assertThat(client.peer().getIssuerX500Principal().getName()).contains("Pebble");
            }
        }
    }

    @Test
    void aFailedRenewalIsRetriedLaterWhileTheCurrentCertificateKeepsServing() throws Exception {
        String domain = "retry.gw.test";
        Path file = config(domain, "tls-alpn-01", "");
        BigInteger issued;
        try (GatewayFixture gateway = GatewayFixture.of(dir, GatewayServer.start(ConfigLoader.load(file, Map.of())))) {
            issued = awaitIssued(gateway, domain);
        }
        // http-01 answered on a port Pebble does not validate against: every attempt fails
        int elsewhere;
        try (ServerSocket socket = new ServerSocket(0)) {
            elsewhere = socket.getLocalPort();
        }
        file = config(domain, "http-01", "redirect_from = \"127.0.0.1:" + elsewhere + "\"\n");
        try (GatewayFixture gateway = GatewayFixture.of(dir, GatewayServer.start(ConfigLoader.load(file, Map.of())))) {
            AcmeDomainStatus failed = gateway.server.acme().renewNow(domain).get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(failed.failures()).isEqualTo(1);
            assertThat(failed.lastError()).isNotBlank();
            assertThat(failed.state()).isEqualTo("valid");
            assertThat(failed.nextAttempt()).isAfter(java.time.Instant.now().plusSeconds(20));
            assertThat(serial(gateway, domain)).isEqualTo(issued);
            assertThat(TlsCertificatesTest.status(gateway).get("acme").get("domains").get(0).get("last_error").asText())
                    .isEqualTo(failed.lastError());
        }
    }

    private Path config(String domain, String challenge, String tlsKeys) throws IOException {
        Files.createDirectories(dir.resolve("public"));
        Path file = dir.resolve("app_config.toml");
        Files.writeString(file, """
                [server]
                listen = "127.0.0.1:%d"
                [server.tls]
                %s
                [admin]
                listen = "127.0.0.1:0"
                [logging]
                access_log = "off"
                [static]
                root = "public"
                [acme]
                directory = "https://localhost:%d/dir"
                email = "ops@gw.test"
                domains = ["%s"]
                storage = "acme"
                challenge = "%s"
                ca_roots = ["%s"]
                """.formatted(httpsPort, tlsKeys, directoryPort, domain, challenge, pebbleDir.resolve("pebble-ca.crt")));
        return file;
    }

    private static BigInteger awaitIssued(GatewayFixture gateway, String domain) throws Exception {
        Eventually.await("a Pebble certificate for " + domain, LIMIT, () -> {
            try (TlsClient client = TlsClient.connect(gateway.port(), domain)) {
                return client.peer().getIssuerX500Principal().getName().contains("Pebble");
            } catch (Exception e) {
                return false;
            }
        });
        return serial(gateway, domain);
    }

    private static BigInteger serial(GatewayFixture gateway, String domain) throws Exception {
        try (TlsClient client = TlsClient.connect(gateway.port(), domain)) {
            return client.peer().getSerialNumber();
        }
    }

    private static void start(List<String> command, Map<String, String> env, String log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(pebbleDir.resolve(log).toFile());
        builder.environment().putAll(env);
        processes.add(builder.start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
