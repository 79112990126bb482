package dev.gateway.config.load;

import dev.gateway.config.TracingConfig;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code [tracing]}; its presence turns tracing on, like a {@code health_check} table.
 *
 * <p>DEFAULTS:
 * <pre>
 * sample_ratio   1.0         0-1: share of the traces the gateway starts that are sampled
 * otlp_endpoint  none        http(s)://host[:port][/path]; an empty path means /v1/traces
 * service_name   "gateway"   service.name of the exported spans; not empty
 * </pre>
 */
final class TracingReader {

    static final Set<String> KEYS = Set.of("sample_ratio", "otlp_endpoint", "service_name");
    static final String DEFAULT_PATH = "/v1/traces";

    private TracingReader() {
    }

    static TracingConfig read(TableReader tracing) {
        if (!tracing.present()) {
            return TracingConfig.OFF;
        }
        double ratio = tracing.number("sample_ratio", 1.0, 0.0, 1.0);
        Optional<String> endpoint = tracing.optional("otlp_endpoint", TracingReader::endpoint);
        String serviceName = tracing.get("service_name", "gateway", v -> {
            String name = v.string();
            if (name.isBlank() || !HttpSyntax.isHeaderValue(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a service name (expected e.g. \"gateway\")");
            }
            return name;
        });
        return new TracingConfig(true, ratio, endpoint, serviceName);
    }

    /** The OTLP/HTTP traces URL: an absolute http(s) URL with a host, {@code /v1/traces} when it has no path. */
    private static String endpoint(ConfigValue value) {
        String text = value.string();
        String expected = " (expected e.g. \"http://127.0.0.1:4318/v1/traces\")";
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL" + expected);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + text + "' is not an http or https URL" + expected);
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + text + "' must be scheme://host[:port][/path], without user, "
                    + "query or fragment" + expected);
        }
        String path = uri.getRawPath();
        return path == null || path.isEmpty() || path.equals("/")
                ? text.replaceAll("/$", "") + DEFAULT_PATH : text;
    }
}
