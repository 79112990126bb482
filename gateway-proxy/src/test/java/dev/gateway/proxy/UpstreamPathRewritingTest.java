package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamPathRewritingTest {

    @Test
    void byDefaultThePathIsForwardedAsIs() {
        UpstreamPath prefix = new UpstreamPath(true, false, null);
        UpstreamPath exact = new UpstreamPath(false, false, null);

        assertThat(prefix.build("/api/users/7", null, "/users/7", Map.of())).isEqualTo("/api/users/7");
        assertThat(exact.build("/health", null, "", Map.of())).isEqualTo("/health");
        assertThat(exact.build("/users/42", null, "", Map.of("id", "42"))).isEqualTo("/users/42");
    }

    @Test
    void stripPrefixForwardsThePartBelowThePrefix() {
        UpstreamPath path = new UpstreamPath(true, true, null);

        assertThat(path.build("/api/users/7", null, "/users/7", Map.of())).isEqualTo("/users/7");
        assertThat(path.build("/api/users/", null, "/users/", Map.of())).isEqualTo("/users/");
    }

    @Test
    void stripPrefixOfTheWholePathForwardsRoot() {
        UpstreamPath path = new UpstreamPath(true, true, null);

        assertThat(path.build("/api", null, "", Map.of())).isEqualTo("/");
        assertThat(path.build("/api/", null, "/", Map.of())).isEqualTo("/");
        assertThat(path.build("/api", "page=2", "", Map.of())).isEqualTo("/?page=2");
    }

    @Test
    void stripPrefixHasNoEffectOnAnExactRoute() {
        UpstreamPath path = new UpstreamPath(false, true, null);

        assertThat(path.build("/health", null, "", Map.of())).isEqualTo("/health");
    }

    @Test
    void rewriteFillsTheRouteParams() {
        UpstreamPath path = new UpstreamPath(false, false, "/v2/users/{id}");

        assertThat(path.build("/users/42", null, "", Map.of("id", "42"))).isEqualTo("/v2/users/42");
    }

    @Test
    void rewriteFillsSeveralParamsInTemplateOrder() {
        UpstreamPath path = new UpstreamPath(false, false, "/v2/{repo}/by/{org}/x");

        assertThat(path.build("/orgs/acme/repos/web", null, "", Map.of("org", "acme", "repo", "web")))
                .isEqualTo("/v2/web/by/acme/x");
    }

    @Test
    void rewriteWithAdjacentParamsAndParamFirst() {
        UpstreamPath path = new UpstreamPath(false, false, "/{a}{b}/{a}");

        assertThat(path.build("/p", null, "", Map.of("a", "x", "b", "y"))).isEqualTo("/xy/x");
    }

    @Test
    void missingParamIsFilledWithNothing() {
        UpstreamPath path = new UpstreamPath(false, false, "/v2/users/{id}/posts");

        assertThat(path.build("/users", null, "", Map.of())).isEqualTo("/v2/users//posts");
        assertThat(new UpstreamPath(false, false, "/v2/users/{id}").build("/users", null, "", Map.of("other", "1")))
                .isEqualTo("/v2/users/");
    }

    @Test
    void rewriteWithoutParamsIsAFixedPath() {
        UpstreamPath path = new UpstreamPath(false, false, "/status");

        assertThat(path.build("/health", null, "", Map.of())).isEqualTo("/status");
    }

    @Test
    void rewriteOnAPrefixRouteAppendsTheRemainderWithOneSlash() {
        UpstreamPath withSlash = new UpstreamPath(true, false, "/v2/");
        UpstreamPath withoutSlash = new UpstreamPath(true, false, "/v2");

        assertThat(withSlash.build("/api/users/7", null, "/users/7", Map.of())).isEqualTo("/v2/users/7");
        assertThat(withoutSlash.build("/api/users/7", null, "/users/7", Map.of())).isEqualTo("/v2/users/7");
        assertThat(new UpstreamPath(true, false, "/").build("/api/users/7", null, "/users/7", Map.of()))
                .isEqualTo("/users/7");
    }

    @Test
    void rewriteOnAPrefixRouteWithNothingBelowThePrefixIsTheTemplate() {
        assertThat(new UpstreamPath(true, false, "/v2/").build("/api", null, "", Map.of())).isEqualTo("/v2/");
        assertThat(new UpstreamPath(true, false, "/v2").build("/api", null, "", Map.of())).isEqualTo("/v2");
        assertThat(new UpstreamPath(true, false, "/v2/").build("/api/", null, "/", Map.of())).isEqualTo("/v2/");
    }

    @Test
    void rewriteOnAPrefixRouteFillsParamsThenAppendsTheRemainder() {
        UpstreamPath path = new UpstreamPath(true, false, "/t/{tenant}/");

        assertThat(path.build("/tenants/acme/files/a.txt", null, "/files/a.txt", Map.of("tenant", "acme")))
                .isEqualTo("/t/acme/files/a.txt");
        assertThat(new UpstreamPath(true, false, "/t/{tenant}")
                .build("/tenants/acme/files/a.txt", null, "/files/a.txt", Map.of("tenant", "acme")))
                .isEqualTo("/t/acme/files/a.txt");
    }

    @Test
    void rewriteTakesPrecedenceOverStripPrefix() {
        UpstreamPath path = new UpstreamPath(true, true, "/v2/");

        assertThat(path.build("/api/users", null, "/users", Map.of())).isEqualTo("/v2/users");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=1", "q=caf%C3%A9&x=%2F%3F", "a=1&a=2&b", "redirect=/x?y=%26z", "q=a+b%20c", "=", ""})
    void queryIsAppendedUntouchedInEveryMode(String query) {
        assertThat(new UpstreamPath(true, false, null).build("/api/x", query, "/x", Map.of()))
                .isEqualTo("/api/x?" + query);
        assertThat(new UpstreamPath(true, true, null).build("/api/x", query, "/x", Map.of()))
                .isEqualTo("/x?" + query);
        assertThat(new UpstreamPath(true, true, null).build("/api", query, "", Map.of()))
                .isEqualTo("/?" + query);
        assertThat(new UpstreamPath(false, false, "/v2/{id}").build("/u/7", query, "", Map.of("id", "7")))
                .isEqualTo("/v2/7?" + query);
        assertThat(new UpstreamPath(true, false, "/v2/").build("/api/x", query, "/x", Map.of()))
                .isEqualTo("/v2/x?" + query);
    }

    @Test
    void noQueryMeansNoQuestionMark() {
        assertThat(new UpstreamPath(true, true, null).build("/api/x", null, "/x", Map.of())).isEqualTo("/x");
        assertThat(new UpstreamPath(false, false, "/v2").build("/x", null, "", Map.of())).isEqualTo("/v2");
    }

    @Test
    void encodedCharactersInThePathAreKept() {
        assertThat(new UpstreamPath(true, true, null).build("/api/a%2Fb%20c", null, "/a%2Fb%20c", Map.of()))
                .isEqualTo("/a%2Fb%20c");
        assertThat(new UpstreamPath(false, false, "/v2/{name}").build("/f/x%20y", null, "", Map.of("name", "x%20y")))
                .isEqualTo("/v2/x%20y");
    }
}
