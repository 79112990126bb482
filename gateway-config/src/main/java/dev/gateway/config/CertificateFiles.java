package dev.gateway.config;

import java.nio.file.Path;

/**
 * A certificate chain and its private key on disk (PEM).
 *
 * @param cert PEM certificate chain, the leaf first (absolute)
 * @param key PEM PKCS#8 private key (absolute)
 * @param keyPath where it was configured, e.g. {@code server.tls.certificates[1]}, for messages
 */
public record CertificateFiles(Path cert, Path key, String keyPath) {
}
