package dev.gateway.config.load;

import dev.gateway.config.CorsConfig;
import dev.gateway.config.TargetConfig;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a route's {@code cors} table.
 *
 * <p>DEFAULTS:
 * <pre>
 * origins      required   ["https://app.example.com", ...] compared exactly, or ["*"]
 * methods      ["GET", "HEAD", "POST"]
 * headers      []         request headers a page may send beyond the CORS-safelisted ones; ["*"] any
 * expose       []         response headers a page may read beyond the safelisted ones
 * credentials  false      true: cookies and Authorization allowed (never with origins = ["*"])
 * max_age      "10m"      Access-Control-Max-Age of preflight answers; "0s" asks browsers not to cache them
 * </pre>
 */
final class CorsReader {

    static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST");
    static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);
    private static final Set<String> KEYS = Set.of("origins", "methods", "headers", "expose", "credentials", "max_age");

    private CorsReader() {
    }

    static CorsConfig read(ConfigValue value) {
        TableReader table = value.table(KEYS);
        List<String> origins = table.required("origins", CorsReader::origins);
        List<String> methods = table.get("methods", DEFAULT_METHODS, v -> nonEmpty(v, "methods").stream()
                .map(e -> e.read(RouteReader::method)).filter(m -> m != null).collect(Collectors.toList()));
        List<String> headers = table.list("headers", List.of(), v -> token(v, true));
        if (headers.contains("*") && headers.size() > 1) {
            table.problem("headers", "'*' allows every header; list it alone");
        }
        List<String> expose = table.list("expose", List.of(), v -> token(v, false));
        boolean credentials = table.bool("credentials", false);
        Duration maxAge = table.durationOrZero("max_age", DEFAULT_MAX_AGE);
        boolean any = origins != null && origins.equals(List.of("*"));
        if (any && credentials) {
            table.problem("credentials", "credentials = true cannot go with origins = [\"*\"]: browsers refuse a "
                    + "credentialed response for any origin (Fetch standard); list the origins instead");
        }
        if (origins == null) {
            return null;
        }
        return new CorsConfig(any ? Set.of() : new LinkedHashSet<>(origins), any, methods, headers, expose, credentials,
                maxAge);
    }

    private static List<ConfigValue> nonEmpty(ConfigValue value, String key) {
        List<ConfigValue> elements = value.elements();
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("empty list (remove the key for the default " + key + ")");
        }
        return elements;
    }

    private static List<String> origins(ConfigValue value) {
        List<String> origins = nonEmpty(value, "origins").stream().map(e -> e.read(CorsReader::origin))
                .filter(o -> o != null).collect(Collectors.toList());
        if (origins.contains("*") && origins.size() > 1) {
            throw new IllegalArgumentException("'*' allows every origin; list it alone or list origins without it");
        }
        return origins;
    }

    /**
     * An origin as browsers serialize it (RFC 6454 §6.2): {@code scheme://host[:port]}, lower case,
     * no path and no trailing slash, the default port left out. {@code null} is refused: sandboxed
     * frames and local files send it, so allowing it allows anyone.
     */
    private static String origin(ConfigValue value) {
        String text = value.string();
        if (text.equals("*")) {
            return text;
        }
        if (text.equalsIgnoreCase("null")) {
            throw new IllegalArgumentException("the 'null' origin is sent by sandboxed frames and local files, so "
                    + "allowing it allows any page; list real origins");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        int scheme = lower.indexOf("://");
        if (scheme < 0 || lower.indexOf('/', scheme + 3) >= 0 || lower.indexOf('?') >= 0 || lower.indexOf('#') >= 0
                || lower.contains("*")) {
            throw new IllegalArgumentException("'" + text + "' is not an origin (expected scheme://host[:port] without "
                    + "a path, e.g. \"https://app.example.com\"; origins are compared exactly)");
        }
        TargetConfig parsed = TargetUrls.parse(lower, 1);
        String host = parsed.host().indexOf(':') >= 0 ? "[" + parsed.host() + "]" : parsed.host();
        boolean defaultPort = parsed.secure() ? parsed.port() == 443 : parsed.port() == 80;
        return (parsed.secure() ? "https://" : "http://") + host + (defaultPort ? "" : ":" + parsed.port());
    }


    private static String token(ConfigValue value, boolean starAllowed) {
        String name = value.string();
        if (starAllowed && name.equals("*")) {
            return name;
        }
        if (!HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid header name");
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
