package dev.gateway.core.acme;

import dev.gateway.config.pem.PemFiles;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * {@code [acme] ca_roots}: the ACME server's own https is checked against the JVM's CAs plus these
 * roots (a private CA, or Pebble's test CA), for this client only; the JVM-wide trust store is
 * never changed.
 */
final class AcmeTrust extends GenericAcmeProvider {

    private final SSLContext ssl;

    AcmeTrust(List<Path> roots) throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        TrustManagerFactory jvm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jvm.init((KeyStore) null);
        int n = 0;
        for (TrustManager manager : jvm.getTrustManagers()) {
            if (manager instanceof X509TrustManager) {
                for (X509Certificate root : ((X509TrustManager) manager).getAcceptedIssuers()) {
                    store.setCertificateEntry("jvm-" + n++, root);
                }
            }
        }
        for (Path file : roots) {
            for (X509Certificate root : PemFiles.certificates(file)) {
                store.setCertificateEntry("acme-" + n++, root);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
    }

    @Override
    protected HttpConnector createHttpConnector(NetworkSettings settings) {
        return new HttpConnector(settings) {
            @Override
            public HttpClient.Builder createClientBuilder() {
                return super.createClientBuilder().sslContext(ssl);
            }
        };
    }
}
