package dev.gateway.config.pem;

import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A certificate chain (leaf first) and its private key, known to belong together.
 *
 * @param chain the leaf certificate, then its intermediates
 */
public record CertificatePair(List<X509Certificate> chain, PrivateKey key) {

    private static final int SAN_DNS_NAME = 2;

    public CertificatePair {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    /**
     * The DNS names the certificate is valid for, lower case: its subject alternative names
     * (RFC 5280 §4.2.1.6), or its subject's common name when it has none (RFC 6125 §6.4.4).
     */
    public List<String> names() {
        return names(leaf());
    }

    /** A short name for logs, metrics and status: the first DNS name, else the subject. */
    public String name() {
        List<String> names = names();
        return names.isEmpty() ? leaf().getSubjectX500Principal().getName() : names.get(0);
    }

    public static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> san : certificate.getSubjectAlternativeNames()) {
                    if (((Integer) san.get(0)) == SAN_DNS_NAME) {
                        names.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SAN extension: fall back to the common name
        }
        if (names.isEmpty()) {
            commonName(certificate).ifPresent(cn -> names.add(cn.toLowerCase(Locale.ROOT)));
        }
        return List.copyOf(names);
    }

    private static java.util.Optional<String> commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return java.util.Optional.of(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            // no common name
        }
        return java.util.Optional.empty();
    }
}
