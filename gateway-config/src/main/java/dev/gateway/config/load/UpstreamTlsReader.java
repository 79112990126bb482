package dev.gateway.config.load;

import dev.gateway.config.CertificateFiles;
import dev.gateway.config.TargetConfig;
import dev.gateway.config.UpstreamTlsConfig;
import dev.gateway.config.toml.TableReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an upstream's {@code tls = { ca, cert, key, server_name, verify }}.
 *
 * <p>DEFAULTS: {@code ca} the JVM's CAs; no client certificate ({@code cert} and {@code key} go
 * together); {@code server_name} the target's host; {@code verify = true}. The table needs at
 * least one {@code https://} target, which it applies to.
 */
final class UpstreamTlsReader {

    static final Set<String> KEYS = Set.of("ca", "cert", "key", "server_name", "verify");

    private UpstreamTlsReader() {
    }

    static UpstreamTlsConfig read(TableReader tls, List<TargetConfig> targets) {
        if (!tls.present()) {
            return UpstreamTlsConfig.DEFAULT;
        }
        if (!targets.isEmpty() && targets.stream().noneMatch(TargetConfig::secure)) {
            tls.problem("tls applies to https:// targets and this upstream has none");
        }
        Optional<Path> ca = tls.optional("ca", TlsReader::certificateBundle);
        Optional<CertificateFiles> client = Optional.empty();
        if (tls.has("cert") || tls.has("key")) {
            client = Optional.ofNullable(TlsReader.pair(tls));
        }
        Optional<String> serverName = tls.optional("server_name", v -> {
            String name = v.string();
            if (!name.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
                throw new IllegalArgumentException("'" + name + "' is not a DNS name (expected e.g. \"api.internal\")");
            }
            return name;
        });
        return new UpstreamTlsConfig(ca, client, serverName, tls.bool("verify", true));
    }
}
