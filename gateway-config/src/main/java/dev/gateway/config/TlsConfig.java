package dev.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code [server.tls]}: when present the main listener speaks HTTPS.
 *
 * @param certificate the default certificate ({@code cert}, {@code key}): served without SNI or when
 *                    no other certificate's names match; empty only when {@code [acme]} provides them
 * @param certificates {@code [[server.tls.certificates]]}: more certificates, chosen by SNI
 * @param redirectFrom optional plain-HTTP listener that answers 308 to the https URL (and ACME
 *                     http-01 challenges)
 * @param provider the TLS engine
 * @param minVersion "TLSv1.2" or "TLSv1.3"
 * @param ciphers TLS 1.2 and 1.3 cipher suites in preference order (IANA names)
 * @param clientAuth whether clients are asked for a certificate
 * @param clientCa PEM bundle of the CAs client certificates must chain to (set when clientAuth is not NONE)
 */
public record TlsConfig(
        Optional<CertificateFiles> certificate,
        List<CertificateFiles> certificates,
        Optional<HostPort> redirectFrom,
        Provider provider,
        String minVersion,
        List<String> ciphers,
        ClientAuth clientAuth,
        Optional<Path> clientCa) {

    /** TLS versions {@code min_version} accepts, lowest first, as the JDK and Netty spell them. */
    public static final List<String> VERSIONS = List.of("TLSv1.2", "TLSv1.3");

    /**
     * Mozilla's "intermediate" server profile (ssl-config.mozilla.org, guidelines 5.7): AEAD suites
     * with forward secrecy only, TLS 1.3 first. Suites the engine lacks (DHE in BoringSSL) are skipped.
     */
    public static final List<String> INTERMEDIATE_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    public TlsConfig {
        certificates = List.copyOf(certificates);
        ciphers = List.copyOf(ciphers);
    }

    /** Every configured certificate, the default first. */
    public List<CertificateFiles> allCertificates() {
        java.util.ArrayList<CertificateFiles> all = new java.util.ArrayList<>();
        certificate.ifPresent(all::add);
        all.addAll(certificates);
        return List.copyOf(all);
    }

    /** Which TLS engine serves the listener. */
    public enum Provider {
        /** OpenSSL (BoringSSL through netty-tcnative) when it loads, else the JDK's */
        AUTO,
        /** OpenSSL or the gateway does not start */
        OPENSSL,
        /** the JDK's own engine */
        JDK
    }

    /** Whether a client certificate is asked for (RFC 8446 §4.3.2 CertificateRequest). */
    public enum ClientAuth {
        NONE,
        /** asked for; a connection without one is served, one with an unverifiable one is refused */
        OPTIONAL,
        /** a verified client certificate is needed to complete the handshake */
        REQUIRE
    }
}
