package dev.gateway.config.load;

import dev.gateway.config.HealthCheckConfig;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.Durations;
import dev.gateway.config.toml.TableReader;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code [upstreams.NAME.health_check]}; without the table a pool has no active checks.
 *
 * <p>DEFAULTS:
 * <pre>
 * type                 http        http | websocket | tcp
 * path                 "/health"   must start with '/'
 * interval             5s
 * timeout              2s          must not exceed interval
 * healthy_threshold    2           1-100
 * unhealthy_threshold  3           1-100
 * expected_status      "200-399"   "FROM-TO" or a single status ("200" or 200); 100-599
 * </pre>
 */
final class HealthCheckReader {

    static final String DEFAULT_PATH = "/health";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    static final HealthCheckConfig.StatusRange DEFAULT_EXPECTED_STATUS = new HealthCheckConfig.StatusRange(200, 399);

    static final Set<String> KEYS = Set.of("type", "path", "interval", "timeout", "healthy_threshold",
            "unhealthy_threshold", "expected_status", "service");
    private static final Pattern STATUS_RANGE = Pattern.compile("(\\d{3})(?:\\s*-\\s*(\\d{3}))?");

    private HealthCheckReader() {
    }

    static Optional<HealthCheckConfig> read(TableReader check) {
        if (!check.present()) {
            return Optional.empty();
        }
        HealthCheckConfig.Type type = check.choice("type", HealthCheckConfig.Type.HTTP);
        String path = check.get("path", DEFAULT_PATH, v -> {
            String p = v.string();
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException("'" + p + "' must start with '/' (e.g. \"/health\")");
            }
            return p;
        });
        Duration interval = check.duration("interval", DEFAULT_INTERVAL);
        Duration timeout = check.duration("timeout", DEFAULT_TIMEOUT);
        if (timeout.compareTo(interval) > 0) {
            check.problem("timeout", Durations.format(timeout) + " is longer than interval " + Durations.format(interval)
                    + " (expected: timeout <= interval)");
        }
        return Optional.of(new HealthCheckConfig(
                type,
                path,
                interval,
                timeout,
                check.integer("healthy_threshold", 2, 1, 100),
                check.integer("unhealthy_threshold", 3, 1, 100),
                check.get("expected_status", DEFAULT_EXPECTED_STATUS, HealthCheckReader::statusRange),
                service(check, type)));
    }

    /** The gRPC service a {@code grpc} check asks about; "" asks about the server as a whole. */
    private static String service(TableReader check, HealthCheckConfig.Type type) {
        String service = check.get("service", "", v -> v.string());
        if (!service.isEmpty() && type != HealthCheckConfig.Type.GRPC) {
            check.problem("service", "only grpc checks name a service (type is " + type.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return service;
    }

    private static HealthCheckConfig.StatusRange statusRange(ConfigValue value) {
        if (!value.isString() && !value.isInteger()) {
            throw value.wrongType("a status or range such as \"200-399\"");
        }
        String text = value.isString() ? value.string() : Long.toString(value.integer());
        Matcher m = STATUS_RANGE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a status or range (expected e.g. \"200-399\" or "
                    + "\"200\")");
        }
        int from = Integer.parseInt(m.group(1));
        int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
        if (from < 100 || to > 599) {
            throw new IllegalArgumentException("'" + text + "' (expected statuses in 100-599)");
        }
        if (from > to) {
            throw new IllegalArgumentException("'" + text + "' is an empty range (expected FROM <= TO)");
        }
        return new HealthCheckConfig.StatusRange(from, to);
    }
}
