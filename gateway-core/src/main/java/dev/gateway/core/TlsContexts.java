package dev.gateway.core;

import dev.gateway.config.TlsConfig;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import javax.net.ssl.SSLException;

/**
 * Server TLS from PEM files (certificate chain + PKCS#8 key), TLS 1.2 and 1.3 only. With HTTP/2
 * on, ALPN (RFC 7301) offers {@code h2} before {@code http/1.1}, and TLS 1.2 is limited to the
 * cipher suites RFC 9113 §9.2.2 allows for HTTP/2.
 */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslContext forServer(TlsConfig tls, boolean http2) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile())
                .protocols("TLSv1.3", "TLSv1.2");
        if (http2) {
            builder.ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
        }
        return builder.build();
    }
}
