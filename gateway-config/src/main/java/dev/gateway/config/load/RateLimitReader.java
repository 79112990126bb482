package dev.gateway.config.load;

import dev.gateway.config.RateLimitConfig;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.time.Duration;
import java.util.Set;

/**
 * Reads a route's {@code rate_limit = { rate = 100, per = "1s", burst = 200, key = "client_ip" }}.
 *
 * <p>DEFAULTS:
 * <pre>
 * rate   required   tokens per {@code per}; &gt; 0
 * per    1s
 * burst  = rate     bucket size; &gt; 0
 * key    client_ip  client_ip | global | header:NAME
 * </pre>
 */
final class RateLimitReader {

    private static final Set<String> KEYS = Set.of("rate", "per", "burst", "key");

    private RateLimitReader() {
    }

    static RateLimitConfig read(ConfigValue value) {
        TableReader limit = value.table(KEYS);
        Long rate = limit.required("rate", v -> positive(v.integer()));
        Duration per = limit.duration("per", Duration.ofSeconds(1));
        Long burst = limit.get("burst", rate, v -> positive(v.integer()));
        String key = limit.get("key", "client_ip", RateLimitReader::key);
        if (rate == null) {
            return null;
        }
        return new RateLimitConfig(rate, per, burst, key);
    }

    private static long positive(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException(n + " (expected: > 0)");
        }
        return n;
    }

    private static String key(ConfigValue value) {
        String key = value.string();
        if (key.equals("client_ip") || key.equals("global")
                || key.startsWith("header:") && HttpSyntax.isToken(key.substring("header:".length()))) {
            return key;
        }
        throw new IllegalArgumentException("unknown rate-limit key '" + key
                + "' (expected one of: client_ip, global, header:NAME)");
    }
}
