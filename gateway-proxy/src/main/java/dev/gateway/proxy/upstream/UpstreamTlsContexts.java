package dev.gateway.proxy.upstream;

import dev.gateway.config.UpstreamTlsConfig;
import dev.gateway.config.pem.CertificatePair;
import dev.gateway.config.pem.PemFiles;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The TLS client contexts of the upstreams, one per distinct {@code tls = {...}} table (the JVM's
 * CAs when there is none). They are built off the event loops when a configuration is loaded
 * ({@link #prepare}), so a connection only looks one up; a reload drops those no pool uses.
 */
public final class UpstreamTlsContexts {

    private final Map<UpstreamTlsConfig, SslContext> contexts = new ConcurrentHashMap<>();

    /**
     * Builds the contexts of {@code configs} (reading their CA and key files) and forgets the others.
     *
     * @throws IllegalArgumentException naming the file when one cannot be read or the engine refuses it
     */
    public void prepare(Collection<UpstreamTlsConfig> configs) {
        Set<UpstreamTlsConfig> wanted = Set.copyOf(configs);
        for (UpstreamTlsConfig config : wanted) {
            contexts.put(config, build(config)); // files may have changed since the last load
        }
        contexts.keySet().retainAll(wanted);
    }

    SslContext get(UpstreamTlsConfig config) {
        return contexts.computeIfAbsent(config, UpstreamTlsContexts::build);
    }

    static SslContext build(UpstreamTlsConfig config) {
        SslContextBuilder builder = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2");
        if (!config.verify()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (config.ca().isPresent()) {
            builder.trustManager(PemFiles.certificates(config.ca().get()));
        }
        config.clientCertificate().ifPresent(files -> {
            CertificatePair pair = PemFiles.pair(files.cert(), files.key());
            builder.keyManager(pair.key(), pair.chain().toArray(new X509Certificate[0]));
        });
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot create the TLS client context: " + e.getMessage(), e);
        }
    }
}
