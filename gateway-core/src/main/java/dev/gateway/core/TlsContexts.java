package dev.gateway.core;

import dev.gateway.config.TlsConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;

/** Server TLS from PEM files (certificate chain + PKCS#8 key), TLS 1.2 and 1.3 only. */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslContext forServer(TlsConfig tls) throws SSLException {
        return SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile())
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    }
}
