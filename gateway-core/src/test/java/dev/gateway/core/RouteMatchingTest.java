package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.config.HeaderRules;
import dev.gateway.config.RouteAction;
import dev.gateway.config.RouteConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Precedence rules of the route table: exact > :param > longest prefix, hosts, methods, file order. */
class RouteMatchingTest {

    private final List<Route> routes = new ArrayList<>();

    private void route(String name, String path) {
        route(name, path, null, Set.of());
    }

    private void route(String name, String path, String host, Set<String> methods) {
        routes.add(new Route(new RouteConfig(name, path, Optional.ofNullable(host), methods,
                new RouteAction.Redirect("/", 302), false, Optional.empty(), true, Duration.ofSeconds(30), 1, false,
                Duration.ofHours(1), HeaderRules.NONE, HeaderRules.NONE, Optional.empty()), null, null, null));
    }

    private RouteMatch match(String host, String path, String method) {
        return new RouteTable(routes).match(host, RequestPath.parse(path), method);
    }

    private String matched(String path) {
        RouteMatch match = match("example.com", path, "GET");
        return match.isFound() ? match.route().name() : null;
    }

    @Test
    void exactBeatsParamBeatsPrefix() {
        route("prefix", "/users/*");
        route("param", "/users/:id");
        route("exact", "/users/me");
        assertThat(matched("/users/me")).isEqualTo("exact");
        assertThat(matched("/users/42")).isEqualTo("param");
        assertThat(matched("/users/42/posts")).isEqualTo("prefix");
        assertThat(matched("/users")).isEqualTo("prefix");
    }

    @Test
    void longestPrefixWins() {
        route("root", "/*");
        route("api", "/api/*");
        route("v1", "/api/v1/*");
        assertThat(matched("/api/v1/things")).isEqualTo("v1");
        assertThat(matched("/api/v2/things")).isEqualTo("api");
        assertThat(matched("/other")).isEqualTo("root");
        assertThat(matched("/")).isEqualTo("root");
    }

    @Test
    void literalPrefixBeatsParamPrefixOfTheSameLength() {
        route("param", "/:tenant/*");
        route("literal", "/static/*");
        assertThat(matched("/static/a.css")).isEqualTo("literal");
        assertThat(matched("/acme/a.css")).isEqualTo("param");
    }

    @Test
    void paramValuesAndPrefixRemainderAreCaptured() {
        route("posts", "/users/:id/posts/:post");
        route("files", "/files/:bucket/*");
        RouteMatch posts = match(null, "/users/42/posts/7", "GET");
        assertThat(posts.params()).containsEntry("id", "42").containsEntry("post", "7");
        RouteMatch files = match(null, "/files/b1/a/b.txt?x=1", "GET");
        assertThat(files.params()).containsEntry("bucket", "b1");
        assertThat(files.remainder()).isEqualTo("/a/b.txt");
        assertThat(match(null, "/files/b1", "GET").remainder()).isEmpty();
    }

    @Test
    void tiesGoToTheFirstRouteInFileOrder() {
        route("first", "/same");
        route("second", "/same");
        assertThat(matched("/same")).isEqualTo("first");
    }

    @Test
    void methodMismatchFallsThroughAndOtherwiseAnswers405() {
        route("write", "/items/*", null, Set.of("POST", "PUT"));
        route("read", "/items/:id", null, Set.of("GET"));
        assertThat(match(null, "/items/1", "POST").route().name()).isEqualTo("write");
        assertThat(match(null, "/items/1", "GET").route().name()).isEqualTo("read");
        RouteMatch delete = match(null, "/items/1", "DELETE");
        assertThat(delete.isMethodNotAllowed()).isTrue();
        assertThat(delete.allowedMethods()).containsExactly("GET", "POST", "PUT");
        assertThat(match(null, "/nothing", "GET").isFound()).isFalse();
        assertThat(match(null, "/nothing", "GET").isMethodNotAllowed()).isFalse();
    }

    @Test
    void exactHostThenWildcardThenAnyHost() {
        route("any", "/*");
        route("wild", "/*", "*.example.com", Set.of());
        route("api", "/*", "api.example.com", Set.of());
        assertThat(match("api.example.com", "/x", "GET").route().name()).isEqualTo("api");
        assertThat(match("API.Example.COM:8080", "/x", "GET").route().name()).isEqualTo("api");
        assertThat(match("www.example.com", "/x", "GET").route().name()).isEqualTo("wild");
        assertThat(match("a.b.example.com", "/x", "GET").route().name()).isEqualTo("wild");
        assertThat(match("example.com", "/x", "GET").route().name()).isEqualTo("any");
        assertThat(match("other.org", "/x", "GET").route().name()).isEqualTo("any");
        assertThat(match(null, "/x", "GET").route().name()).isEqualTo("any");
    }

    @Test
    void hostSpecificRoutesFallBackToAnyHostForOtherPaths() {
        route("api", "/api/*", "api.example.com", Set.of());
        route("site", "/*");
        assertThat(match("api.example.com", "/api/x", "GET").route().name()).isEqualTo("api");
        assertThat(match("api.example.com", "/index.html", "GET").route().name()).isEqualTo("site");
    }

    @Test
    void equivalentSpellingsOfAPathRouteTheSame() {
        route("admin", "/admin/*");
        route("root", "/*");
        assertThat(matched("/public/../admin/x")).isEqualTo("admin");
        assertThat(matched("/%61dmin/x")).isEqualTo("admin");
        assertThat(matched("/./admin/x")).isEqualTo("admin");
        assertThat(matched("/admin%2Fx")).isEqualTo("root");
    }

    @Test
    void lookupsScaleWithPathDepthNotRouteCount() {
        for (int i = 0; i < 10_000; i++) {
            route("r" + i, "/service" + i + "/*");
        }
        route("last", "/users/:id");
        assertThat(matched("/service9999/x")).isEqualTo("r9999");
        assertThat(matched("/users/5")).isEqualTo("last");
    }
}
