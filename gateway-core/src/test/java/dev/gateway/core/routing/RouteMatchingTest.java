package dev.gateway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

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
        RouteTable table = new RouteTable(routes);
        RequestPath postsPath = RequestPath.parse("/users/42/posts/7");
        RouteMatch posts = table.match(null, postsPath, "GET");
        assertThat(posts.params(postsPath)).containsExactly(entry("id", "42"), entry("post", "7"));
        assertThat(posts.remainder(postsPath)).isEmpty();
        RequestPath filesPath = RequestPath.parse("/files/b1/a/b.txt?x=1");
        RouteMatch files = table.match(null, filesPath, "GET");
        assertThat(files.params(filesPath)).containsExactly(entry("bucket", "b1"));
        assertThat(files.remainder(filesPath)).isEqualTo("/a/b.txt");
        RequestPath bucketPath = RequestPath.parse("/files/b1");
        assertThat(table.match(null, bucketPath, "GET").remainder(bucketPath)).isEmpty();
        RequestPath slashPath = RequestPath.parse("/files/b1/");
        assertThat(table.match(null, slashPath, "GET").remainder(slashPath)).isEqualTo("/");
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
    void hostHeaderSpellingsFindTheSameTier() {
        route("any", "/*");
        route("api", "/*", "api.example.com", Set.of());
        route("v6", "/*", "[::1]", Set.of());
        route("kelvin", "/*", "k.example.com", Set.of());
        assertThat(match("api.example.com.", "/x", "GET").route().name()).isEqualTo("api");
        assertThat(match("Api.Example.Com.:443", "/x", "GET").route().name()).isEqualTo("api");
        assertThat(match("[::1]:8080", "/x", "GET").route().name()).isEqualTo("v6");
        assertThat(match("api:1.example.com", "/x", "GET").route().name()).isEqualTo("any");
        assertThat(match(":8080", "/x", "GET").route().name()).isEqualTo("any");
        // lower-casing the Kelvin sign gives an ASCII 'k', as it always did
        assertThat(match("\u212A.example.com", "/x", "GET").route().name()).isEqualTo("kelvin");
    }

    @Test
    void the405ComesFromTheMostSpecificTierWithRoutesForThePath() {
        route("api", "/x", "api.example.com", Set.of("POST"));
        route("wild", "/x", "*.example.com", Set.of("PATCH", "POST"));
        route("any", "/x", null, Set.of("PUT"));
        assertThat(match("api.example.com", "/x", "GET").allowedMethods()).containsExactly("POST");
        assertThat(match("www.example.com", "/x", "GET").allowedMethods()).containsExactly("PATCH", "POST");
        assertThat(match("other.org", "/x", "GET").allowedMethods()).containsExactly("PUT");
        assertThat(match("api.example.com", "/x", "PUT").route().name()).isEqualTo("any");
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
