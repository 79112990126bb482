package dev.gateway.core.tls;

import dev.gateway.config.TlsConfig;
import dev.gateway.config.pem.CertificatePair;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds the server {@link SslContext} of one certificate under the listener's {@link TlsSettings}. */
final class ServerContexts {

    /** TLS 1.2 session cache entries per context (RFC 5246 §7.4.1.2 session IDs); TLS 1.3 uses tickets. */
    private static final long SESSION_CACHE_SIZE = 20_000;

    private ServerContexts() {
    }

    static SslContext build(CertificatePair pair, TlsSettings settings, SessionTicketKeys tickets) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(pair.key(), pair.chain().toArray(new X509Certificate[0]))
                .sslProvider(settings.engine().provider())
                .protocols(settings.protocols())
                // Suites the engine lacks (BoringSSL has no DHE) are dropped rather than failing.
                .ciphers(settings.ciphers(), SupportedCipherSuiteFilter.INSTANCE)
                .sessionCacheSize(SESSION_CACHE_SIZE)
                .sessionTimeout(SessionTicketKeys.SESSION_LIFETIME.toSeconds())
                .applicationProtocolConfig(alpn(settings.alpn()))
                .enableOcsp(settings.engine().isOpenSsl() && OpenSsl.isOcspSupported());
        if (settings.clientAuth() != TlsConfig.ClientAuth.NONE) {
            builder.trustManager(settings.clientCa())
                    .clientAuth(settings.clientAuth() == TlsConfig.ClientAuth.REQUIRE ? ClientAuth.REQUIRE
                            : ClientAuth.OPTIONAL);
        }
        SslContext context = builder.build();
        tickets.install(context);
        return context;
    }

    /**
     * The context of an ACME tls-alpn-01 challenge (RFC 8737 §3): the self-signed validation
     * certificate, and "acme-tls/1" as the only application protocol.
     */
    static SslContext challenge(KeyPair keys, X509Certificate certificate, TlsEngine engine) throws SSLException {
        return SslContextBuilder.forServer(keys.getPrivate(), certificate)
                .sslProvider(engine.provider())
                .protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(alpn(List.of(AcmeChallenges.ACME_TLS_1)))
                .build();
    }

    /** RFC 7301 §3.2: a client offering none of ours gets no ALPN extension back, not an alert. */
    private static ApplicationProtocolConfig alpn(List<String> protocols) {
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols);
    }

    static boolean hasTicketKeys(SslContext context) {
        return context.sessionContext() instanceof OpenSslSessionContext;
    }
}
