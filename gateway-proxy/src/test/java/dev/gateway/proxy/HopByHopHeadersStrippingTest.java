package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HopByHopHeadersStrippingTest {

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding",
        "Upgrade", "Proxy-Authorization", "Proxy-Authenticate", "keep-alive", "PROXY-CONNECTION", "te",
        "transfer-encoding", "UPGRADE", "proxy-authorization"})
    void wellKnownHopByHopHeadersAreRemovedInAnyCase(String name) {
        HttpHeaders headers = endToEnd();
        headers.add(name, "x");
        headers.add(name, "y");

        HopByHopHeaders.strip(headers);

        assertThat(headers.contains(name)).isFalse();
        assertThat(asMap(headers)).isEqualTo(asMap(endToEnd()));
    }

    @Test
    void everyWellKnownHopByHopHeaderIsRemovedAtOnce() {
        HttpHeaders headers = endToEnd();
        headers.add("Connection", "keep-alive");
        headers.add("Keep-Alive", "timeout=5, max=1000");
        headers.add("Proxy-Connection", "keep-alive");
        headers.add("TE", "trailers");
        headers.add("Trailer", "Expires");
        headers.add("Transfer-Encoding", "chunked");
        headers.add("Upgrade", "websocket");
        headers.add("Proxy-Authorization", "Basic dXNlcjpwYXNz");
        headers.add("Proxy-Authenticate", "Basic realm=\"proxy\"");

        HopByHopHeaders.strip(headers);

        assertThat(asMap(headers)).isEqualTo(asMap(endToEnd()));
    }

    @Test
    void headersNamedByConnectionAreRemoved() {
        HttpHeaders headers = endToEnd();
        headers.add("Connection", "X-Hop, x-other-hop");
        headers.add("X-Hop", "1");
        headers.add("X-Other-Hop", "2");
        headers.add("X-Stays", "3");

        HopByHopHeaders.strip(headers);

        assertThat(headers.contains("Connection")).isFalse();
        assertThat(headers.contains("X-Hop")).isFalse();
        assertThat(headers.contains("X-Other-Hop")).isFalse();
        assertThat(headers.get("X-Stays")).isEqualTo("3");
    }

    @Test
    void headersNamedBySeveralConnectionHeadersAreRemoved() {
        HttpHeaders headers = endToEnd();
        headers.add("Connection", "X-A");
        headers.add("connection", "X-B, X-C");
        headers.add("CONNECTION", "close");
        headers.add("X-A", "1");
        headers.add("X-B", "2");
        headers.add("X-C", "3");
        headers.add("X-D", "4");

        HopByHopHeaders.strip(headers);

        assertThat(headers.contains("X-A")).isFalse();
        assertThat(headers.contains("X-B")).isFalse();
        assertThat(headers.contains("X-C")).isFalse();
        assertThat(headers.contains("Connection")).isFalse();
        assertThat(headers.get("X-D")).isEqualTo("4");
    }

    @Test
    void connectionTokensWithOddSpacingAndCaseAreHonoured() {
        HttpHeaders headers = endToEnd();
        headers.add("Connection", "x-SPACED ,,\tX-Tabbed\t,   ,X-LAST");
        headers.add("X-Spaced", "1");
        headers.add("x-tabbed", "2");
        headers.add("x-last", "3");
        headers.add("x-last", "4");

        HopByHopHeaders.strip(headers);

        assertThat(asMap(headers)).isEqualTo(asMap(endToEnd()));
    }

    @Test
    void connectionNamingAnUnknownOrMalformedTokenRemovesNothingElse() {
        HttpHeaders headers = endToEnd();
        headers.add("Connection", "close, not a header, X-Real");
        headers.add("X-Real", "1");

        HopByHopHeaders.strip(headers);

        assertThat(asMap(headers)).isEqualTo(asMap(endToEnd()));
    }

    /** A client naming these in Connection would strip what framing, routing, tracing or auth depend on. */
    @ParameterizedTest
    @ValueSource(strings = {"Host", "Content-Length", "X-Request-Id", "Cookie", "Authorization", "Content-Type",
        "host", "CONTENT-LENGTH", "x-request-id"})
    void connectionCannotRemoveEndToEndHeadersTheGatewayReliesOn(String name) {
        HttpHeaders headers = endToEnd();
        headers.add("Connection", "close, " + name);

        HopByHopHeaders.strip(headers);

        assertThat(asMap(headers)).isEqualTo(asMap(endToEnd()));
    }

    @Test
    void connectionCannotRemoveContentEncodingOrTransferEncodingFromTheMessage() {
        HttpHeaders headers = endToEnd();
        headers.add("Content-Encoding", "gzip");
        headers.add("Connection", "Content-Encoding, Transfer-Encoding, X-Hop");
        headers.add("X-Hop", "1");

        HopByHopHeaders.strip(headers);

        assertThat(headers.get("Content-Encoding")).isEqualTo("gzip");
        assertThat(headers.contains("X-Hop")).isFalse();
        assertThat(headers.contains("Connection")).isFalse();
    }

    @Test
    void endToEndHeadersAreKept() {
        HttpHeaders headers = endToEnd();
        headers.add("Connection", "close");

        HopByHopHeaders.strip(headers);

        assertThat(asMap(headers)).isEqualTo(Map.of(
                "host", List.of("shop.example.com"),
                "content-type", List.of("application/json"),
                "content-length", List.of("42"),
                "accept", List.of("text/html", "application/json"),
                "authorization", List.of("Bearer abc"),
                "cookie", List.of("session=1"),
                "cache-control", List.of("no-cache"),
                "x-request-id", List.of("r-1")));
    }

    @Test
    void headersWithoutAnyHopByHopHeaderAreUnchanged() {
        HttpHeaders headers = endToEnd();

        HopByHopHeaders.strip(headers);

        assertThat(asMap(headers)).isEqualTo(asMap(endToEnd()));
    }

    private static HttpHeaders endToEnd() {
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.add("Host", "shop.example.com");
        headers.add("Content-Type", "application/json");
        headers.add("Content-Length", "42");
        headers.add("Accept", "text/html");
        headers.add("Accept", "application/json");
        headers.add("Authorization", "Bearer abc");
        headers.add("Cookie", "session=1");
        headers.add("Cache-Control", "no-cache");
        headers.add("X-Request-Id", "r-1");
        return headers;
    }

    /** Lower-case name to values in order: header names are case-insensitive. */
    private static Map<String, List<String>> asMap(HttpHeaders headers) {
        return headers.names().stream().collect(Collectors.toMap(
                name -> name.toLowerCase(Locale.ROOT), headers::getAll, (a, b) -> a));
    }
}
