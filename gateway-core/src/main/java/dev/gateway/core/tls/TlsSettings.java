package dev.gateway.core.tls;

import dev.gateway.config.TlsConfig;
import dev.gateway.config.pem.PemFiles;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Everything of {@code [server.tls]} that shapes a server context besides its certificate: the
 * engine, versions, cipher suites, ALPN protocols, and client certificate checks (with the CA
 * certificates read from {@code client_ca}, so a changed CA file is a changed setting).
 *
 * @param protocols TLS versions offered, newest first
 * @param alpn application protocols (RFC 7301) in the server's order of preference
 */
record TlsSettings(TlsEngine engine, List<String> protocols, List<String> ciphers, List<String> alpn,
        TlsConfig.ClientAuth clientAuth, List<X509Certificate> clientCa) {

    static final String HTTP_1_1 = "http/1.1";
    static final String H2 = "h2";

    /**
     * @param http2 {@code [server] http2}: offer {@code h2} before {@code http/1.1}
     * @param pipelineProtocols what the connection pipeline speaks: nothing else is offered
     * @throws IllegalArgumentException when {@code client_ca} cannot be read
     * @throws IllegalStateException when {@code provider = "openssl"} and OpenSSL does not load
     */
    static TlsSettings of(TlsConfig config, boolean http2, List<String> pipelineProtocols) {
        List<String> protocols = config.minVersion().equals("TLSv1.3") ? List.of("TLSv1.3")
                : List.of("TLSv1.3", "TLSv1.2");
        List<X509Certificate> clientCa = config.clientAuth() == TlsConfig.ClientAuth.NONE || config.clientCa().isEmpty()
                ? List.of() : PemFiles.certificates(config.clientCa().get());
        return new TlsSettings(TlsEngine.select(config.provider()), protocols, config.ciphers(),
                (http2 ? List.of(H2, HTTP_1_1) : List.of(HTTP_1_1)).stream().filter(pipelineProtocols::contains).toList(),
                config.clientAuth(), clientCa);
    }
}
