package dev.gateway.proxy.upstream;

import dev.gateway.config.TargetConfig;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.config.UpstreamTlsConfig;
import dev.gateway.config.pem.CertificatePair;
import dev.gateway.config.pem.PemFiles;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS client contexts of the upstreams, two per distinct {@code tls = {...}} table (the JVM's
 * CAs when there is none): one for HTTP/1.1, one that asks for {@code h2} by ALPN (RFC 9113 §3.2).
 * They are built off the event loops when a configuration is loaded ({@link #prepare}), so a
 * connection only looks one up; a reload drops those no pool uses.
 */
public final class UpstreamTlsContexts {

    private static final Logger log = LoggerFactory.getLogger(UpstreamTlsContexts.class);

    private final Map<UpstreamTlsConfig, SslContext> contexts = new ConcurrentHashMap<>();
    private final Map<UpstreamTlsConfig, SslContext> h2Contexts = new ConcurrentHashMap<>();

    /**
     * Builds the contexts of the upstreams with an https target now, off the event loops (at
     * start-up and on each reload), so a CA or key file that cannot be read fails the load and no
     * first request waits for a trust store to be parsed; forgets the others. A configuration
     * without https targets loads no TLS code at all. Warns about each upstream that does not
     * verify its targets' certificates.
     *
     * @throws IllegalArgumentException naming the file when one cannot be read or the engine refuses it
     */
    public void prepare(Collection<UpstreamConfig> upstreams) {
        Set<UpstreamTlsConfig> wanted = new HashSet<>();
        for (UpstreamConfig upstream : upstreams) {
            if (upstream.targets().stream().anyMatch(TargetConfig::secure)) {
                wanted.add(upstream.tls());
            }
            if (!upstream.tls().verify()) {
                log.warn("upstreams.{}.tls.verify = false: the certificates of its targets are not checked; "
                        + "anyone between the gateway and them can read and change the traffic", upstream.name());
            }
        }
        for (UpstreamTlsConfig config : wanted) {
            contexts.put(config, build(config, false)); // files may have changed since the last load
            h2Contexts.put(config, build(config, true));
        }
        contexts.keySet().retainAll(wanted);
        h2Contexts.keySet().retainAll(wanted);
    }

    SslContext get(UpstreamTlsConfig config, boolean h2) {
        return h2 ? h2Contexts.computeIfAbsent(config, c -> build(c, true))
                : contexts.computeIfAbsent(config, c -> build(c, false));
    }

    static SslContext build(UpstreamTlsConfig config, boolean h2) {
        SslContextBuilder builder = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2");
        if (h2) {
            builder.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2));
        }
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
