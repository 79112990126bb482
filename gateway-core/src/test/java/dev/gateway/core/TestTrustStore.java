package dev.gateway.core;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * Points the JVM's default trust store (what https targets are verified against) at a file that
 * trusts one test certificate, and back to the JDK's own. Gateways started in between trust it.
 */
final class TestTrustStore {

    private TestTrustStore() {
    }

    static void trustOnly(X509Certificate certificate, Path dir) throws Exception {
        Path file = Files.createTempFile(dir, "trust", ".p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("backend", certificate);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        System.setProperty("javax.net.ssl.trustStore", file.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    static void reset() {
        System.clearProperty("javax.net.ssl.trustStore");
        System.clearProperty("javax.net.ssl.trustStorePassword");
        System.clearProperty("javax.net.ssl.trustStoreType");
    }
}
