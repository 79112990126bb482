package dev.gateway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Normalization of request targets before routing (RFC 3986 §5.2.4, §6.2.2). */
class RequestPathTest {

    @Test
    void splitsQueryAndKeepsItUntouched() {
        RequestPath path = RequestPath.parse("/a/b?x=%2F&y=1");
        assertThat(path.path()).isEqualTo("/a/b");
        assertThat(path.query()).isEqualTo("x=%2F&y=1");
        assertThat(path.pathAndQuery()).isEqualTo("/a/b?x=%2F&y=1");
    }

    @Test
    void removesDotSegments() {
        assertThat(RequestPath.parse("/a/./b/../c").path()).isEqualTo("/a/c");
        assertThat(RequestPath.parse("/a/b/..").path()).isEqualTo("/a/");
        assertThat(RequestPath.parse("/a/%2e%2E/b").path()).isEqualTo("/b");
    }

    @Test
    void decodesOnlyUnreservedCharacters() {
        assertThat(RequestPath.parse("/%7Euser/%41%2f%20").path()).isEqualTo("/~user/A%2F%20");
    }

    @Test
    void acceptsAbsoluteForm() {
        assertThat(RequestPath.parse("http://example.com/a?q").pathAndQuery()).isEqualTo("/a?q");
        assertThat(RequestPath.parse("http://example.com").path()).isEqualTo("/");
    }

    @Test
    void rejectsWhatCannotBeAPath() {
        assertThatThrownBy(() -> RequestPath.parse("/../x")).hasMessageContaining("above the root");
        assertThatThrownBy(() -> RequestPath.parse("/a%zz")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> RequestPath.parse("/a%4")).hasMessageContaining("truncated");
        assertThatThrownBy(() -> RequestPath.parse("/a%00b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> RequestPath.parse("*")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void segmentsAndRemainders() {
        RequestPath path = RequestPath.parse("/api/users/7");
        assertThat(path.segmentCount()).isEqualTo(3);
        assertThat(path.segment(1)).isEqualTo("users");
        assertThat(path.remainderAfter(1)).isEqualTo("/users/7");
        assertThat(path.remainderAfter(3)).isEmpty();
        assertThat(RequestPath.parse("/").segmentCount()).isEqualTo(1);
    }
}
