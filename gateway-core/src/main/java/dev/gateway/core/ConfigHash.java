package dev.gateway.core;

import dev.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of the configuration file a config was read from, as {@code sha256sum} prints it,
 * so an operator can tell from the metrics which version of the file is in use.
 */
final class ConfigHash {

    static final String UNKNOWN = "unknown";

    private ConfigHash() {
    }

    /** The file's hash, or {@value #UNKNOWN} when the config has no source file or it cannot be read now. */
    static String of(GatewayConfig config) {
        if (config.source() == null) {
            return UNKNOWN;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(config.source()));
            return HexFormat.of().formatHex(digest);
        } catch (IOException e) {
            return UNKNOWN;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
