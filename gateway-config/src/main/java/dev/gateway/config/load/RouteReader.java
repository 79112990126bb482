package dev.gateway.config.load;

import dev.gateway.config.HeaderRules;
import dev.gateway.config.RouteAction;
import dev.gateway.config.RouteConfig;
import dev.gateway.config.TargetConfig;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.DidYouMean;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads one {@code [[routes]]} entry into a {@link RouteDraft}; its name is settled later by
 * {@link RoutesReader}, because derived names depend on the other routes.
 *
 * <p>DEFAULTS:
 * <pre>
 * path                    required   "/exact", "/users/:id", "/prefix/*", "/*"
 * name                    derived    "/api/*" -> "api", "/users/:id" -> "users-id", "/" and "/*" -> "root";
 *                                    "-2", "-3" appended when taken
 * host                    any        lower-cased; "api.example.com" or "*.example.com"
 * methods                 any        upper-cased HTTP tokens
 * (action)                required   exactly one of upstream | targets | static | redirect
 * status                  302        redirect only: 301 | 302 | 307 | 308
 * strip_prefix            false      only for paths ending in "/*"
 * rewrite                 none       starts with '/'; {param} must be a :param of the path
 * preserve_host           true
 * timeout                 30s
 * retries                 1          0-10
 * websocket               false
 * websocket_idle_timeout  1h
 * request_headers         none       { set = { "X-A" = "v" }, remove = ["X-B"] }
 * response_headers        none
 * rate_limit              none       see {@link RateLimitReader}
 * compress                [compression] enabled   true | false
 * allow, deny             [access]   CIDR lists; a route with either uses only its own (see {@link AccessReader})
 * basic_auth              none       see {@link AuthReaders}
 * forward_auth            none       see {@link AuthReaders}; not with basic_auth
 * cors                    none       see {@link CorsReader}
 * </pre>
 */
final class RouteReader {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_WEBSOCKET_IDLE_TIMEOUT = Duration.ofHours(1);
    static final int DEFAULT_RETRIES = 1;
    static final int DEFAULT_REDIRECT_STATUS = 302;

    static final List<String> ACTIONS = List.of("upstream", "targets", "static", "redirect");
    static final Set<String> KEYS = union(Set.of("name", "path", "host", "methods", "upstream", "targets", "static",
            "redirect", "status", "strip_prefix", "rewrite", "preserve_host", "timeout", "retries", "websocket",
            "websocket_idle_timeout", "request_headers", "response_headers", "rate_limit"), MiddlewareReader.KEYS);
    private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 307, 308);

    private RouteReader() {
    }

    /** The draft, or {@code null} when the path is missing or invalid (problems are recorded either way). */
    static RouteDraft read(TableReader route, Set<String> upstreamNames) {
        RoutePattern pattern = route.required("path", v -> RoutePattern.parse(v.string()));
        Optional<String> name = route.optional("name", RouteReader::name);
        Optional<String> host = route.optional("host", RouteReader::host);
        Set<String> methods = Set.copyOf(route.get("methods", List.of(), RouteReader::methods));
        Action action = action(route, upstreamNames);
        boolean stripPrefix = route.bool("strip_prefix", false);
        if (stripPrefix && pattern != null && !pattern.prefix()) {
            route.problem("strip_prefix", "only applies to prefix paths ending in \"/*\" (path is \"" + pattern.path()
                    + "\")");
        }
        Optional<String> rewrite = route.optional("rewrite", v -> rewrite(v, pattern));
        RouteConfig config = new RouteConfig(
                "",
                pattern == null ? "/" : pattern.path(),
                host,
                methods,
                action.action(),
                stripPrefix,
                rewrite,
                route.bool("preserve_host", true),
                route.duration("timeout", DEFAULT_TIMEOUT),
                route.integer("retries", DEFAULT_RETRIES, 0, 10),
                route.bool("websocket", false),
                route.duration("websocket_idle_timeout", DEFAULT_WEBSOCKET_IDLE_TIMEOUT),
                route.get("request_headers", HeaderRules.NONE, HeaderRulesReader::request),
                route.get("response_headers", HeaderRules.NONE, HeaderRulesReader::response),
                route.optional("rate_limit", RateLimitReader::read),
                MiddlewareReader.read(route));
        if (pattern == null) {
            return null;
        }
        return new RouteDraft(route.path(), name, pattern, action.inlineTargets(), config);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** Exactly one action; several or none are one problem naming the keys found. */
    private static Action action(TableReader route, Set<String> upstreamNames) {
        List<String> found = ACTIONS.stream().filter(route::has).collect(Collectors.toList());
        if (found.isEmpty()) {
            route.problem("no action (expected exactly one of: " + String.join(", ", ACTIONS) + ")");
        } else if (found.size() > 1) {
            route.problem("several actions (" + String.join(", ", found) + "); expected exactly one of: "
                    + String.join(", ", ACTIONS));
        }
        if (route.has("status") && !route.has("redirect")) {
            route.problem("status", "only applies to redirect routes (set redirect = \"...\" or remove status)");
        }
        RouteAction action = null;
        List<TargetConfig> inline = null;
        if (route.has("upstream")) {
            action = route.get("upstream", null, v -> upstream(v, upstreamNames));
        }
        if (route.has("targets")) {
            inline = UpstreamReader.targets(route, "targets");
        }
        if (route.has("static")) {
            action = route.get("static", null, v -> new RouteAction.Static(StaticSiteReader.routeSite(v)));
        }
        if (route.has("redirect")) {
            String location = route.get("redirect", null, RouteReader::location);
            int status = route.get("status", DEFAULT_REDIRECT_STATUS, RouteReader::redirectStatus);
            action = location == null ? null : new RouteAction.Redirect(location, status);
        }
        if (found.size() != 1) {
            return new Action(null, null);
        }
        return found.get(0).equals("targets") ? new Action(null, inline) : new Action(action, null);
    }

    private static RouteAction upstream(ConfigValue value, Set<String> upstreamNames) {
        String name = value.string();
        if (!upstreamNames.contains(name)) {
            throw new IllegalArgumentException("no upstream named '" + name + "'" + DidYouMean.hint(name, upstreamNames)
                    + (upstreamNames.isEmpty() ? " (no [upstreams.NAME] tables are defined)" : ""));
        }
        return new RouteAction.Proxy(name);
    }

    private static String location(ConfigValue value) {
        String location = value.string();
        if (!HttpSyntax.isHeaderValue(location) || location.contains(" ")) {
            throw new IllegalArgumentException("'" + location + "' contains spaces or line breaks (percent-encode them)");
        }
        if (location.indexOf('\\') >= 0) {
            // Browsers read a backslash as '/' in http(s) URLs, so "/\host" would be "//host" (WHATWG URL).
            throw new IllegalArgumentException("'" + location + "' contains a backslash (percent-encode it as %5C)");
        }
        if (location.startsWith("/") && !location.startsWith("//")) {
            return location;
        }
        try {
            URI uri = new URI(location);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return location;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + location + "' is neither an absolute http(s) URL nor a path starting "
                + "with '/' (expected e.g. \"https://example.com/\" or \"/new-place\")");
    }

    private static int redirectStatus(ConfigValue value) {
        long status = value.integer();
        if (!REDIRECT_STATUSES.contains((int) status) || status != (int) status) {
            throw new IllegalArgumentException(status + " (expected one of: 301, 302, 307, 308)");
        }
        return (int) status;
    }

    private static String name(ConfigValue value) {
        String name = value.string();
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid route name (expected letters, digits, "
                    + "'.', '_' or '-')");
        }
        return name;
    }

    private static String host(ConfigValue value) {
        String host = value.string().toLowerCase(Locale.ROOT);
        String name = host.startsWith("*.") ? host.substring(2) : host;
        if (!HttpSyntax.isHostname(name)) {
            throw new IllegalArgumentException("'" + host + "' is not a host name (expected e.g. \"api.example.com\" or "
                    + "\"*.example.com\")");
        }
        return host;
    }

    private static List<String> methods(ConfigValue value) {
        List<ConfigValue> elements = value.elements();
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("empty list (remove the key to allow every method)");
        }
        return elements.stream().map(e -> e.read(RouteReader::method)).filter(m -> m != null)
                .collect(Collectors.toList());
    }

    static String method(ConfigValue value) {
        String method = value.string().toUpperCase(Locale.ROOT);
        if (!HttpSyntax.isToken(method)) {
            throw new IllegalArgumentException("'" + method + "' is not a valid HTTP method");
        }
        return method;
    }

    /** Starts with '/'; every {@code {param}} names a {@code :param} of the path. */
    private static String rewrite(ConfigValue value, RoutePattern pattern) {
        String rewrite = value.string();
        if (!rewrite.startsWith("/")) {
            throw new IllegalArgumentException("'" + rewrite + "' must start with '/' (e.g. \"/v2/users/{id}\")");
        }
        List<String> params = pattern == null ? List.of() : pattern.params();
        int at = 0;
        while (at < rewrite.length()) {
            int open = rewrite.indexOf('{', at);
            int close = rewrite.indexOf('}', at);
            if (open < 0 && close < 0) {
                break;
            }
            if (open < 0 || close < open || rewrite.substring(open + 1, close).indexOf('{') >= 0) {
                throw new IllegalArgumentException("'" + rewrite + "' has unbalanced '{' '}'");
            }
            String param = rewrite.substring(open + 1, close);
            if (pattern != null && !params.contains(param)) {
                throw new IllegalArgumentException("'{" + param + "}' is not a parameter of path \"" + pattern.path()
                        + "\"" + DidYouMean.closest(param, params).map(p -> "; did you mean '{" + p + "}'?").orElse("")
                        + (params.isEmpty() ? " (the path has no :params)" : " (it has: "
                        + params.stream().map(p -> "{" + p + "}").collect(Collectors.joining(", ")) + ")"));
            }
            at = close + 1;
        }
        return rewrite;
    }

    /** The action, or (for a lone {@code targets}) the inline pool still waiting for the route's name. */
    private record Action(RouteAction action, List<TargetConfig> inlineTargets) {
    }
}
