package dev.gateway.core;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;

/** A self-signed certificate for "localhost" written where {@code [server.tls]} of a test config expects it. */
final class TestCertificates {

    /** The [server.tls] keys that use what {@link #write} writes. */
    static final String SERVER_TLS = "[server.tls]\ncert = \"server.crt\"\nkey = \"server.key\"\n";

    private TestCertificates() {
    }

    /** Writes {@code server.crt} and {@code server.key} into {@code dir}. */
    static void write(Path dir) throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        try {
            Files.copy(cert.certificate().toPath(), dir.resolve("server.crt"));
            Files.copy(cert.privateKey().toPath(), dir.resolve("server.key"));
        } finally {
            cert.delete();
        }
    }
}
