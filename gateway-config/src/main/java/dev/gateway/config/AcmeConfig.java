package dev.gateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code [acme]}: certificates obtained and renewed automatically from an ACME CA (RFC 8555).
 *
 * @param email contact for the account (mailto:), optional
 * @param directory the CA's directory URL
 * @param domains the names to obtain certificates for (default: the exact route hosts)
 * @param storage directory for the account key and the certificates (keys written 0600)
 * @param challenge how control of a name is proven
 * @param caRoots extra PEM roots trusted when talking to the ACME server (a private CA, Pebble)
 */
public record AcmeConfig(Optional<String> email, URI directory, List<String> domains, Path storage,
        Challenge challenge, List<Path> caRoots) {

    /** Let's Encrypt production. */
    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    /** Let's Encrypt staging: untrusted certificates, generous rate limits; for trying things out. */
    public static final URI LETS_ENCRYPT_STAGING = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");

    public AcmeConfig {
        domains = List.copyOf(domains);
        caRoots = List.copyOf(caRoots);
    }

    /** RFC 8555 §8.3 and RFC 8737. */
    public enum Challenge {
        /** a token over plain HTTP on port 80 ({@code redirect_from}) */
        HTTP_01,
        /** a self-signed certificate over TLS with ALPN "acme-tls/1" on port 443 */
        TLS_ALPN_01
    }
}
