package dev.gateway.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link LocationEncoding} keeps, encodes and collapses. */
class LocationEncodingTest {

    @Test
    void aCleanPathIsReturnedAsItIs() {
        String path = "/a/b-c._~!$&'()*+,;=:@/%2F%c3%A9";
        assertThat(LocationEncoding.path(path)).isSameAs(path);
    }

    @Test
    void leadingSlashesCollapseToOne() {
        assertThat(LocationEncoding.path("//evil.example")).isEqualTo("/evil.example");
        assertThat(LocationEncoding.path("////")).isEqualTo("/");
        assertThat(LocationEncoding.path("")).isEqualTo("/");
        assertThat(LocationEncoding.path("a/b")).isEqualTo("/a/b");
        assertThat(LocationEncoding.path("/a//b")).isEqualTo("/a//b");
    }

    @Test
    void backslashesAreEncodedSoNoPathStartsLikeANetworkPath() {
        assertThat(LocationEncoding.path("/\\evil.example")).isEqualTo("/%5Cevil.example");
        assertThat(LocationEncoding.path("//\\\\evil.example/a\\b")).isEqualTo("/%5C%5Cevil.example/a%5Cb");
    }

    @Test
    void controlsSpacesAndDelimitersAPathMayNotHoldAreEncoded() {
        assertThat(LocationEncoding.path("/a b\t\r\n\u007f")).isEqualTo("/a%20b%09%0D%0A%7F");
        assertThat(LocationEncoding.path("/<>\"^`{|}[]#?")).isEqualTo("/%3C%3E%22%5E%60%7B%7C%7D%5B%5D%23%3F");
    }

    @Test
    void aPercentThatStartsNoValidEscapeIsEncoded() {
        assertThat(LocationEncoding.path("/100%")).isEqualTo("/100%25");
        assertThat(LocationEncoding.path("/%zz%4")).isEqualTo("/%25zz%254");
    }

    @Test
    void nonAsciiIsEncodedByteForByte() {
        // As Netty hands over the request line: one char per byte (UTF-8 'é' is C3 A9).
        assertThat(LocationEncoding.path("/caf\u00c3\u00a9")).isEqualTo("/caf%C3%A9");
        // A char that did not come from the wire: its UTF-8 bytes.
        assertThat(LocationEncoding.path("/\u20ac\ud83d\ude00")).isEqualTo("/%E2%82%AC%F0%9F%98%80");
    }

    @Test
    void aQueryKeepsQuestionMarksAndSlashes() {
        String query = "a=1&b=/x?y&c=%20";
        assertThat(LocationEncoding.query(query)).isSameAs(query);
        assertThat(LocationEncoding.query("a=\\ b#c")).isEqualTo("a=%5C%20b%23c");
    }
}
