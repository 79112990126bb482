package dev.gateway.config.load;

import dev.gateway.config.AdminConfig;
import dev.gateway.config.HostPort;
import dev.gateway.config.toml.TableReader;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code [admin]}.
 *
 * <p>DEFAULTS:
 * <pre>
 * listen  "127.0.0.1:9901"   loopback only, like Envoy's admin port
 * token   none               when given, must not be empty
 * </pre>
 */
final class AdminReader {

    static final HostPort DEFAULT_LISTEN = new HostPort("127.0.0.1", 9901);
    static final Set<String> KEYS = Set.of("listen", "token");

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
        return new AdminConfig(listen, token);
    }
}
