package dev.gateway.config.load;

import dev.gateway.config.ForwardAuthConfig;
import dev.gateway.config.Strategy;
import dev.gateway.config.TargetConfig;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.config.UpstreamTlsConfig;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code [upstreams.NAME]} pools, and builds the pools of routes with inline {@code targets}.
 *
 * <p>DEFAULTS:
 * <pre>
 * targets                      required, at least one: "http://host[:port]", "https://..." or
 *                              { url = "...", weight = 3 } (weight 1-1000, default 1)
 * strategy                     round_robin
 * hash_key                     "client_ip"   client_ip | path | header:NAME | cookie:NAME
 * sticky_cookie                none          a cookie name
 * connect_timeout              5s
 * max_idle_per_target          1024          per event loop; 0-100000 (cover peak concurrency: a release beyond it closes the connection)
 * pool_idle_timeout            30s           keep below the targets' own keep-alive timeout
 * max_requests_per_connection  1000          &gt;= 1
 * all_unhealthy                fail          fail | ignore_health
 * health_check                 none          see {@link HealthCheckReader}
 * circuit_breaker              always on     see {@link CircuitBreakerReader}
 * tls                          none          see {@link UpstreamTlsReader}
 * </pre>
 */
final class UpstreamReader {

    static final String INLINE_PREFIX = "route:";
    /** The pool of a route's forward_auth service: {@code auth:<route name>}. */
    static final String AUTH_PREFIX = "auth:";
    static final String DEFAULT_HASH_KEY = "client_ip";
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final int DEFAULT_MAX_IDLE_PER_TARGET = 1024;
    static final Duration DEFAULT_POOL_IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_MAX_REQUESTS_PER_CONNECTION = 1000;

    static final Set<String> KEYS = Set.of("targets", "strategy", "hash_key", "sticky_cookie", "connect_timeout",
            "max_idle_per_target", "pool_idle_timeout", "max_requests_per_connection", "all_unhealthy",
            "health_check", "circuit_breaker", "protocol", "tls");
    private static final Set<String> TARGET_KEYS = Set.of("url", "weight");

    private UpstreamReader() {
    }

    /** Every pool under {@code [upstreams]}, in file order. */
    static Map<String, UpstreamConfig> readAll(TableReader upstreams) {
        Map<String, UpstreamConfig> pools = new LinkedHashMap<>();
        for (String name : upstreams.keys()) {
            if (name.startsWith(INLINE_PREFIX) || name.startsWith(AUTH_PREFIX)) {
                upstreams.problem(name, "upstream names starting with '" + INLINE_PREFIX + "' or '" + AUTH_PREFIX
                        + "' are reserved for routes with inline targets and forward_auth services");
                continue;
            }
            TableReader pool = upstreams.get(name, null, v -> v.table(KEYS));
            if (pool != null) {
                pools.put(name, read(name, pool));
            }
        }
        return pools;
    }

    static UpstreamConfig read(String name, TableReader pool) {
        List<TargetConfig> targets = targets(pool, "targets");
        return new UpstreamConfig(
                name,
                targets,
                pool.choice("strategy", Strategy.ROUND_ROBIN),
                pool.get("hash_key", DEFAULT_HASH_KEY, UpstreamReader::hashKey),
                pool.optional("sticky_cookie", UpstreamReader::cookieName),
                pool.duration("connect_timeout", DEFAULT_CONNECT_TIMEOUT),
                pool.integer("max_idle_per_target", DEFAULT_MAX_IDLE_PER_TARGET, 0, 100_000),
                pool.duration("pool_idle_timeout", DEFAULT_POOL_IDLE_TIMEOUT),
                pool.integer("max_requests_per_connection", DEFAULT_MAX_REQUESTS_PER_CONNECTION, 1, Integer.MAX_VALUE),
                pool.choice("all_unhealthy", UpstreamConfig.AllUnhealthy.FAIL),
                HealthCheckReader.read(pool.table("health_check", HealthCheckReader.KEYS)),
                CircuitBreakerReader.read(pool.table("circuit_breaker", CircuitBreakerReader.KEYS)),
                protocol(pool, targets),
                UpstreamTlsReader.read(pool.table("tls", UpstreamTlsReader.KEYS), targets));
    }

    /**
     * {@code h2} negotiates HTTP/2 by ALPN, which needs TLS: every target https. {@code h2c} speaks
     * HTTP/2 with prior knowledge in cleartext: every target http.
     */
    private static UpstreamConfig.Protocol protocol(TableReader pool, List<TargetConfig> targets) {
        if ("http2".equals(pool.get("protocol", "", v -> v.isString() ? v.string() : ""))) {
            // "did you mean http1?" would be the wrong hint
            pool.problem("protocol", "unknown value 'http2': use h2 for https targets (ALPN) or h2c for http targets");
            return UpstreamConfig.Protocol.HTTP1;
        }
        UpstreamConfig.Protocol protocol = pool.choice("protocol", UpstreamConfig.Protocol.HTTP1);
        for (int i = 0; i < targets.size(); i++) {
            boolean secure = targets.get(i).secure();
            if (protocol == UpstreamConfig.Protocol.H2 && !secure) {
                pool.problem("protocol", "h2 needs https targets (ALPN), but targets[" + i + "] is "
                        + targets.get(i).url() + " (use h2c for HTTP/2 in cleartext)");
            } else if (protocol == UpstreamConfig.Protocol.H2C && secure) {
                pool.problem("protocol", "h2c is HTTP/2 in cleartext, but targets[" + i + "] is "
                        + targets.get(i).url() + " (use h2 for https targets)");
            }
        }
        return protocol;
    }

    /** The pool of a route's inline {@code targets}: every setting at its default. */
    static UpstreamConfig inline(String routeName, List<TargetConfig> targets) {
        return new UpstreamConfig(INLINE_PREFIX + routeName, targets, Strategy.ROUND_ROBIN, DEFAULT_HASH_KEY,
                Optional.empty(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE_PER_TARGET, DEFAULT_POOL_IDLE_TIMEOUT,
                DEFAULT_MAX_REQUESTS_PER_CONNECTION, UpstreamConfig.AllUnhealthy.FAIL, Optional.empty(),
                CircuitBreakerReader.defaults(), UpstreamConfig.Protocol.HTTP1, UpstreamTlsConfig.DEFAULT);
    }

    /**
     * The pool of a forward_auth service: its one target with every default, except that a connect
     * may take no longer than the subrequest's timeout.
     */
    static UpstreamConfig authPool(ForwardAuthConfig auth) {
        Duration connect = auth.timeout().compareTo(DEFAULT_CONNECT_TIMEOUT) < 0 ? auth.timeout() : DEFAULT_CONNECT_TIMEOUT;
        return new UpstreamConfig(auth.upstream(), List.of(auth.target()), Strategy.ROUND_ROBIN, DEFAULT_HASH_KEY,
                Optional.empty(), connect, DEFAULT_MAX_IDLE_PER_TARGET, DEFAULT_POOL_IDLE_TIMEOUT,
                DEFAULT_MAX_REQUESTS_PER_CONNECTION, UpstreamConfig.AllUnhealthy.FAIL, Optional.empty(),
                CircuitBreakerReader.defaults());
    }

    /** A required, non-empty {@code targets} array of URL strings or {@code { url, weight }} tables. */
    static List<TargetConfig> targets(TableReader table, String key) {
        if (!table.has(key)) {
            table.problem(key, "missing required key '" + key + "' (expected e.g. [\"http://127.0.0.1:3000\"])");
            return List.of();
        }
        List<ConfigValue> elements = table.get(key, null, ConfigValue::elements);
        if (elements == null) {
            return List.of();
        }
        if (elements.isEmpty()) {
            table.problem(key, "no targets (expected at least one, e.g. [\"http://127.0.0.1:3000\"])");
            return List.of();
        }
        List<TargetConfig> targets = new ArrayList<>();
        for (ConfigValue element : elements) {
            TargetConfig target = element.read(UpstreamReader::target);
            if (target != null) {
                targets.add(target);
            }
        }
        return targets;
    }

    private static TargetConfig target(ConfigValue value) {
        if (value.isString()) {
            return TargetUrls.parse(value.string(), 1);
        }
        if (!value.isTable()) {
            throw value.wrongType("a URL string or a table { url = \"...\", weight = 1 }");
        }
        TableReader target = value.table(TARGET_KEYS);
        int weight = target.integer("weight", 1, 1, 1000);
        return target.required("url", v -> TargetUrls.parse(v.string(), weight));
    }

    private static String hashKey(ConfigValue value) {
        String key = value.string();
        if (key.equals("client_ip") || key.equals("path")) {
            return key;
        }
        for (String prefix : List.of("header:", "cookie:")) {
            if (key.startsWith(prefix) && HttpSyntax.isToken(key.substring(prefix.length()))) {
                return key;
            }
        }
        throw new IllegalArgumentException("unknown hash key '" + key
                + "' (expected one of: client_ip, path, header:NAME, cookie:NAME)");
    }

    private static String cookieName(ConfigValue value) {
        String name = value.string();
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid cookie name (RFC 6265: letters, digits "
                    + "and !#$%&'*+-.^_`|~)");
        }
        return name;
    }
}
