package dev.gateway.config.load;

import dev.gateway.config.AccessConfig;
import dev.gateway.config.BasicAuthConfig;
import dev.gateway.config.CorsConfig;
import dev.gateway.config.ForwardAuthConfig;
import dev.gateway.config.MiddlewareConfig;
import dev.gateway.config.toml.TableReader;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a route's middleware keys: {@code compress}, {@code allow}, {@code deny},
 * {@code basic_auth}, {@code forward_auth}, {@code cors}. A route authenticates one way: both
 * {@code basic_auth} and {@code forward_auth} are refused.
 */
final class MiddlewareReader {

    static final Set<String> KEYS = Set.of("compress", "allow", "deny", "basic_auth", "forward_auth", "cors");

    private MiddlewareReader() {
    }

    static MiddlewareConfig read(TableReader route) {
        Optional<Boolean> compress = route.optional("compress", v -> v.bool());
        Optional<AccessConfig> access = AccessReader.route(route);
        Optional<BasicAuthConfig> basic = route.optional("basic_auth", AuthReaders::basic);
        Optional<ForwardAuthConfig> forward = route.optional("forward_auth", AuthReaders::forward);
        if (route.has("basic_auth") && route.has("forward_auth")) {
            route.problem("forward_auth", "a route has one way to authenticate: basic_auth or forward_auth, not both");
        }
        Optional<CorsConfig> cors = route.optional("cors", CorsReader::read);
        return new MiddlewareConfig(compress, access, basic, forward, cors);
    }
}
