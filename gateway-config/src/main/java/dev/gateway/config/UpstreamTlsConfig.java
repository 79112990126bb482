package dev.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code [upstreams.NAME] tls = { ... }}: how the pool's {@code https://} targets (requests and
 * health checks alike) are spoken to.
 *
 * @param ca PEM bundle of the CAs the targets' certificates must chain to; empty: the JVM's CAs
 * @param clientCertificate the gateway's own certificate for targets that ask for one (mutual TLS)
 * @param serverName the name sent as SNI and checked against the target's certificate; empty: the target's host
 * @param verify false accepts any certificate (warned about at every load)
 */
public record UpstreamTlsConfig(Optional<Path> ca, Optional<CertificateFiles> clientCertificate,
        Optional<String> serverName, boolean verify) {

    /** No {@code tls} table: the JVM's CAs, the target's host name, verified. */
    public static final UpstreamTlsConfig DEFAULT = new UpstreamTlsConfig(Optional.empty(), Optional.empty(),
            Optional.empty(), true);
}
