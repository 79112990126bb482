package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gateway.testkit.ExternalCommands;
import dev.gateway.testkit.TestPki;
import io.netty.handler.ssl.OpenSsl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session resumption (RFC 8446 §2.2 tickets, RFC 5246 session IDs) with both engines, seen by
 * {@code openssl s_client -sess_out / -sess_in}: the second connection reports "Reused". With
 * OpenSSL the ticket keys are the gateway's own, shared by every certificate and kept across a
 * certificate rotation. Skipped without the openssl command.
 */
class TlsSessionResumptionTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"jdk,-tls1_3", "jdk,-tls1_2", "openssl,-tls1_3", "openssl,-tls1_2"})
    void aSecondConnectionResumesTheSession(String provider, String version) throws Exception {
        assumeTrue(ExternalCommands.onPath("openssl"), "the openssl command is not installed");
        assumeTrue(!provider.equals("openssl") || OpenSsl.isAvailable(), "OpenSSL does not load here");
        TestPki pki = TestPki.ca("ca");
        pki.server("api.example.com").write(dir, "api");
        Files.createDirectories(dir.resolve("public"));
        try (GatewayFixture gateway = GatewayFixture.start(dir, "[server.tls]\ncert = \"api.crt\"\nkey = \"api.key\"\n"
                + "provider = \"" + provider + "\"\n", "[static]\nroot = \"public\"\n")) {
            String first = sClient(gateway.port(), version, "-sess_out");
            assertThat(first).contains("New, TLSv1");
            String second = sClient(gateway.port(), version, "-sess_in");
            assertThat(second).contains("Reused, TLSv1");
        }
    }

    private String sClient(int port, String version, String sessionOption) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "api.example.com", version, "-ign_eof", sessionOption, dir.resolve("session.pem").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // a request that closes the connection: the session ticket arrives before s_client ends
        process.getOutputStream().write("GET / HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("openssl s_client finished").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
