package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteNamesAndOptionsTest {

    @TempDir
    Path dir;

    @Test
    void namesAreDerivedFromPaths() throws Exception {
        List<RouteConfig> routes = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/api/*"
                redirect = "/a"
                [[routes]]
                path = "/"
                redirect = "/b"
                [[routes]]
                path = "/users/:id"
                redirect = "/c"
                [[routes]]
                path = "/api/v1/orders/:order_id/items"
                redirect = "/d"
                [[routes]]
                path = "/*"
                redirect = "/e"
                """).routes();

        assertThat(routes).extracting(RouteConfig::name)
                .containsExactly("api", "root", "users-id", "api-v1-orders-order_id-items", "root-2");
    }

    @Test
    void derivedNamesGetNumberedSuffixesAndNeverTakeAnExplicitName() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/api/*"
                methods = ["GET"]
                targets = ["http://a"]
                [[routes]]
                path = "/api/*"
                methods = ["POST"]
                targets = ["http://b"]
                [[routes]]
                path = "/api"
                targets = ["http://c"]
                [[routes]]
                name = "api-2"
                path = "/v2/*"
                targets = ["http://d"]
                """);

        assertThat(config.routes()).extracting(RouteConfig::name).containsExactly("api", "api-3", "api-4", "api-2");
        assertThat(config.routes()).extracting(RouteConfig::action).containsExactly(new RouteAction.Proxy("route:api"),
                new RouteAction.Proxy("route:api-3"), new RouteAction.Proxy("route:api-4"),
                new RouteAction.Proxy("route:api-2"));
        assertThat(List.copyOf(config.upstreams().keySet()))
                .containsExactly("route:api", "route:api-3", "route:api-4", "route:api-2");
        assertThat(config.upstream("route:api-2").targets()).extracting(TargetConfig::host).containsExactly("d");
    }

    @Test
    void namedUpstreamsComeBeforeInlinePoolsInTheMap() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/a/*"
                targets = ["http://a"]
                [[routes]]
                path = "/b/*"
                upstream = "shared"
                [upstreams.shared]
                targets = ["http://s"]
                """);

        assertThat(List.copyOf(config.upstreams().keySet())).containsExactly("shared", "route:a");
    }

    @Test
    void hostIsLowerCasedAndMethodsUpperCased() throws Exception {
        RouteConfig route = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/"
                host = "*.Example.COM"
                methods = ["get", "Post", "PROPFIND"]
                redirect = "/x"
                """).routes().get(0);

        assertThat(route.host()).contains("*.example.com");
        assertThat(route.methods()).containsExactlyInAnyOrder("GET", "POST", "PROPFIND");
    }

    @Test
    void proxyOptionsAreRead() throws Exception {
        RouteConfig route = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/api/users/:id/*"
                targets = ["http://a"]
                strip_prefix = true
                rewrite = "/v2/users/{id}"
                preserve_host = false
                timeout = "2m30s"
                retries = 0
                websocket = true
                websocket_idle_timeout = "15m"
                rate_limit = { rate = 10, per = "1m", key = "header:X-Api-Key" }
                """).routes().get(0);

        assertThat(route.name()).isEqualTo("api-users-id");
        assertThat(route.stripPrefix()).isTrue();
        assertThat(route.rewrite()).contains("/v2/users/{id}");
        assertThat(route.preserveHost()).isFalse();
        assertThat(route.timeout()).isEqualTo(Duration.ofSeconds(150));
        assertThat(route.retries()).isZero();
        assertThat(route.websocket()).isTrue();
        assertThat(route.websocketIdleTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(route.rateLimit()).contains(new RateLimitConfig(10, Duration.ofMinutes(1), 10, "header:X-Api-Key"));
    }

    @Test
    void redirectStatusesAndLocationsAreRead() throws Exception {
        List<RouteConfig> routes = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/a"
                redirect = "https://example.com/new"
                status = 301
                [[routes]]
                path = "/b/*"
                redirect = "/c/"
                status = 308
                """).routes();

        assertThat(routes).extracting(RouteConfig::action).containsExactly(
                new RouteAction.Redirect("https://example.com/new", 301), new RouteAction.Redirect("/c/", 308));
    }

    @Test
    void headerRulesKeepOrderAndMayBeWrittenAsSubTables() throws Exception {
        RouteConfig route = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/"
                redirect = "/x"
                [routes.response_headers]
                remove = ["Server", "X-Powered-By"]
                [routes.response_headers.set]
                X-Frame-Options = "DENY"
                Cache-Control = "no-store"
                """).routes().get(0);

        assertThat(route.responseHeaders().remove()).containsExactly("Server", "X-Powered-By");
        assertThat(List.copyOf(route.responseHeaders().set().entrySet()))
                .containsExactly(Map.entry("X-Frame-Options", "DENY"), Map.entry("Cache-Control", "no-store"));
        assertThat(route.requestHeaders()).isEqualTo(HeaderRules.NONE);
    }

    @Test
    void pathsWithParamsPercentEncodingAndTrailingSlashAreAccepted() throws Exception {
        List<RouteConfig> routes = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/files/%20x/:name"
                redirect = "/a"
                [[routes]]
                path = "/docs/"
                redirect = "/b"
                [[routes]]
                path = "/@me/v1.2/~x"
                redirect = "/c"
                """).routes();

        assertThat(routes).extracting(RouteConfig::path).containsExactly("/files/%20x/:name", "/docs/", "/@me/v1.2/~x");
        assertThat(routes).extracting(RouteConfig::name).containsExactly("files-20x-name", "docs", "me-v1.2-x");
        assertThat(routes.get(0).host()).isEqualTo(Optional.empty());
        assertThat(routes.get(0).methods()).isEqualTo(Set.of());
    }
}
