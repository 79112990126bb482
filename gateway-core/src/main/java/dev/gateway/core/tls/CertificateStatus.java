package dev.gateway.core.tls;

import java.time.Instant;
import java.util.List;

/**
 * One certificate source as {@code /status} and the expiry metric show it: what it serves now (if
 * anything) and why its last new version was refused (if it was).
 *
 * @param source where it comes from: a key path ({@code server.tls}, {@code server.tls.certificates[1]})
 *               or {@code acme:<domain>}
 * @param name the first DNS name of the certificate served (null when nothing is served)
 * @param isDefault served to handshakes without SNI or whose name matches no certificate
 * @param lastError why the last new certificate or key was refused (null when none was)
 */
public record CertificateStatus(String source, String name, List<String> names, Instant notBefore, Instant notAfter,
        String issuer, boolean isDefault, Instant loadedAt, String lastError, Instant lastErrorAt) {

    public CertificateStatus {
        names = names == null ? List.of() : List.copyOf(names);
    }

    public boolean serving() {
        return name != null;
    }
}
