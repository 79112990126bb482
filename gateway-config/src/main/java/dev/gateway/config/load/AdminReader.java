package dev.gateway.config.load;

import dev.gateway.config.AdminConfig;
import dev.gateway.config.HostPort;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code [admin]}.
 *
 * <p>DEFAULTS:
 * <pre>
 * listen           "127.0.0.1:9901"   loopback only, like Envoy's admin port
 * token            none               when given, must not be empty
 * max_connections  64                 &gt; 0; the admin listener's own limit, apart from [server]'s
 * allowed_hosts    []                 host names (no port) accepted in Host besides IP literals and localhost
 * </pre>
 */
final class AdminReader {

    static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 9901);
    static final int DEFAULT_MAX_CONNECTIONS = 64;
    static final Set<String> KEYS = Set.of("listen", "token", "max_connections", "allowed_hosts");

    private AdminReader() {
    }

    static AdminConfig read(TableReader admin) {
        HostPort listen = ServerReader.listen(admin, "listen", DEFAULT_LISTEN);
        Optional<String> token = admin.optional("token", v -> {
            String value = v.string();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("empty token (remove the key to have no token)");
            }
            return value;
        });
        int maxConnections = admin.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, Integer.MAX_VALUE);
        List<String> allowedHosts = admin.list("allowed_hosts", List.of(), AdminReader::hostName);
        return new AdminConfig(listen, token, maxConnections, allowedHosts);
    }

    /** A DNS name as a Host header carries it, compared case-insensitively: kept in lower case. */
    private static String hostName(ConfigValue value) {
        String host = value.string();
        if (!HttpSyntax.isHostname(host)) {
            throw new IllegalArgumentException("'" + host + "' is not a host name (a name only, without port or "
                    + "wildcard, e.g. \"gateway-admin.internal\"; IP addresses and localhost are always allowed)");
        }
        return host.toLowerCase(Locale.ROOT);
    }
}
