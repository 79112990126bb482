package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gateway.testkit.Eventually;
import dev.gateway.testkit.ExternalCommands;
import dev.gateway.testkit.TestPki;
import io.netty.handler.ssl.OpenSsl;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCSP stapling with the OpenSSL engine, against {@code openssl ocsp} as the CA's responder: the
 * gateway fetches a response for a certificate whose authority information access names the
 * responder and staples it for clients that ask ({@code s_client -status}). The JDK engine staples
 * nothing. Skipped without the openssl command or the OpenSSL engine.
 */
class OcspStaplingTest {

    @TempDir
    Path dir;

    @Test
    void theOpenSslEngineStaplesAGoodResponseFromTheResponder() throws Exception {
        assumeTrue(ExternalCommands.onPath("openssl"), "the openssl command is not installed");
        assumeTrue(OpenSsl.isAvailable() && OpenSsl.isOcspSupported(), "OpenSSL with OCSP does not load here");
        int responderPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            responderPort = socket.getLocalPort();
        }
        TestPki pki = TestPki.ca("ocsp test ca");
        pki.authority().write(dir, "ca");
        TestPki.Issued leaf = pki.serverWithOcsp("http://127.0.0.1:" + responderPort, "api.example.com")
                .write(dir, "api");
        // openssl ca's database: V(alid), expiry, (no revocation), serial, file, subject
        String expiry = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC)
                .format(leaf.certificate().getNotAfter().toInstant());
        Files.writeString(dir.resolve("index.txt"), "V\t" + expiry + "\t\t"
                + leaf.certificate().getSerialNumber().toString(16).toUpperCase() + "\tunknown\t/CN=api.example.com\n");
        Process responder = new ProcessBuilder("openssl", "ocsp", "-index", dir.resolve("index.txt").toString(),
                "-port", String.valueOf(responderPort), "-rsigner", dir.resolve("ca.crt").toString(),
                "-rkey", dir.resolve("ca.key").toString(), "-CA", dir.resolve("ca.crt").toString(), "-ndays", "1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("ocsp.log").toFile()).start();
        try {
            // not probed by connecting: openssl's responder serves one connection at a time and waits
            // on one that sends nothing
            Eventually.await("the OCSP responder listening", Duration.ofSeconds(20), () -> logged(dir.resolve("ocsp.log"),
                    "waiting for OCSP client connections"));
            Files.createDirectories(dir.resolve("public"));
            String tls = "[server.tls]\ncert = \"api.crt\"\nkey = \"api.key\"\nprovider = \"openssl\"\n";
            try (GatewayFixture gateway = GatewayFixture.start(dir, tls, "[static]\nroot = \"public\"\n")) {
                Eventually.await("a stapled good OCSP response", Duration.ofSeconds(30), () -> {
                    String out = status(gateway.port());
                    return out.contains("OCSP Response Status: successful") && out.contains("Cert Status: good");
                });
            }
            try (GatewayFixture gateway = GatewayFixture.start(dir, tls.replace("openssl", "jdk"),
                    "[static]\nroot = \"public\"\n")) {
                assertThat(status(gateway.port())).contains("OCSP response: no response sent");
            }
        } finally {
            responder.destroy();
            responder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String status(int port) {
        try {
            Process process = new ProcessBuilder(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-servername", "api.example.com", "-status")).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean logged(Path log, String line) {
        try {
            return Files.exists(log) && Files.readString(log).contains(line);
        } catch (IOException e) {
            return false;
        }
    }
}
