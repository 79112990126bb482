package dev.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code [server.tls]}: when present the main listener speaks HTTPS.
 *
 * @param cert PEM certificate chain (absolute, resolved against the config file's directory)
 * @param key PEM private key (PKCS#8)
 * @param redirectFrom optional plain-HTTP listener that answers 308 to the https URL
 */
public record TlsConfig(Path cert, Path key, Optional<HostPort> redirectFrom) {
}
