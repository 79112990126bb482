package dev.gateway.core.tls;

import io.netty.handler.ssl.SslContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The certificates served at one moment, by the names they are valid for: an immutable lookup
 * published whole, so a handshake never sees half a rotation. A server name gets the certificate
 * with that exact name, else the one whose wildcard {@code *.rest} covers it (a wildcard matches
 * exactly one label, RFC 6125 §6.4.3), else the default.
 */
final class CertificateSet {

    private final Map<String, Served> exact = new HashMap<>();
    private final Map<String, Served> wildcard = new HashMap<>();
    private final Served fallback;

    /** @param served every certificate, each under its names; the first to claim a name keeps it */
    CertificateSet(List<Served> served, Served fallback) {
        for (Served entry : served) {
            for (String name : entry.pair().names()) {
                if (name.startsWith("*.")) {
                    wildcard.putIfAbsent(name.substring(2), entry);
                } else {
                    exact.putIfAbsent(name, entry);
                }
            }
        }
        this.fallback = fallback;
    }

    /** The certificate for {@code serverName} (lower case; null: the default). */
    Served select(String serverName) {
        return find(serverName);
    }

    Served find(String serverName) {
        if (serverName == null || fallback == null && exact.isEmpty() && wildcard.isEmpty()) {
            return fallback;
        }
        Served match = exact.get(serverName);
        if (match != null) {
            return match;
        }
        int dot = serverName.indexOf('.');
        if (dot > 0) {
            match = wildcard.get(serverName.substring(dot + 1));
            if (match != null) {
                return match;
            }
        }
        return fallback;
    }

    /** A certificate in service: its pair, the context built for it, and its OCSP staple (OpenSSL). */
    record Served(dev.gateway.config.pem.CertificatePair pair, SslContext context, OcspStapler.Staple staple) {
    }
}
