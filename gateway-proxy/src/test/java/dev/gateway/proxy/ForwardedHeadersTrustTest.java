package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.config.Cidr;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardedHeadersTrustTest {

    private static final ForwardedHeaders NO_TRUSTED_PROXIES = new ForwardedHeaders(List.of());
    private static final ForwardedHeaders TRUSTS_PRIVATE_NETWORKS = trusting("10.0.0.0/8", "172.16.0.0/12",
            "192.0.2.17", "2001:db8::/32", "fd00::/8");

    @Test
    void untrustedClientCannotForgeItsAddress() {
        HttpHeaders headers = forgedByClient();

        NO_TRUSTED_PROXIES.apply(headers, "203.0.113.7", false, "shop.example.com", 8080);

        assertThat(headers.getAll("X-Forwarded-For")).containsExactly("203.0.113.7");
        assertThat(headers.getAll("X-Forwarded-Proto")).containsExactly("http");
        assertThat(headers.getAll("X-Forwarded-Host")).containsExactly("shop.example.com");
        assertThat(headers.getAll("Forwarded")).containsExactly("for=203.0.113.7;proto=http;host=\"shop.example.com\"");
    }

    @Test
    void clientOutsideTheTrustedRangesCannotForgeEither() {
        HttpHeaders headers = forgedByClient();

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "192.168.1.5", true, "shop.example.com", 8080);

        assertThat(headers.getAll("X-Forwarded-For")).containsExactly("192.168.1.5");
        assertThat(headers.getAll("X-Forwarded-Proto")).containsExactly("https");
        assertThat(headers.getAll("X-Forwarded-Host")).containsExactly("shop.example.com");
        assertThat(headers.getAll("Forwarded")).containsExactly("for=192.168.1.5;proto=https;host=\"shop.example.com\"");
    }

    @Test
    void untrustedClientGetsForwardingHeadersItDidNotSend() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Accept", "*/*");

        NO_TRUSTED_PROXIES.apply(headers, "203.0.113.7", true, "shop.example.com:8443", 8080);

        assertThat(headers.get("X-Forwarded-For")).isEqualTo("203.0.113.7");
        assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(headers.get("X-Forwarded-Host")).isEqualTo("shop.example.com:8443");
        assertThat(headers.get("Forwarded")).isEqualTo("for=203.0.113.7;proto=https;host=\"shop.example.com:8443\"");
        assertThat(headers.get("Accept")).isEqualTo("*/*");
    }

    @Test
    void trustedIpv4ProxyChainIsAppendedTo() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("X-Forwarded-For", "198.51.100.1, 198.51.100.2")
                .add("X-Forwarded-Proto", "https")
                .add("X-Forwarded-Host", "shop.example.com")
                .add("Forwarded", "for=198.51.100.1;proto=https;host=shop.example.com");

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "10.1.2.3", false, "internal-lb:8080", 8080);

        assertThat(headers.getAll("X-Forwarded-For")).containsExactly("198.51.100.1, 198.51.100.2, 10.1.2.3");
        assertThat(headers.getAll("X-Forwarded-Proto")).containsExactly("https");
        assertThat(headers.getAll("X-Forwarded-Host")).containsExactly("shop.example.com");
        assertThat(headers.getAll("Forwarded")).containsExactly(
                "for=198.51.100.1;proto=https;host=shop.example.com, for=10.1.2.3;proto=http;host=\"internal-lb:8080\"");
    }

    @Test
    void trustedProxyWithoutForwardingHeadersGetsThemSet() {
        HttpHeaders headers = new DefaultHttpHeaders();

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "172.20.0.9", true, "shop.example.com", 8080);

        assertThat(headers.get("X-Forwarded-For")).isEqualTo("172.20.0.9");
        assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(headers.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
        assertThat(headers.get("Forwarded")).isEqualTo("for=172.20.0.9;proto=https;host=\"shop.example.com\"");
    }

    @Test
    void blankForwardingHeadersFromATrustedProxyAreNotJoinedWithACommaOnly() {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Forwarded-For", "").add("Forwarded", "");

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "10.0.0.1", false, "a.example", 8080);

        assertThat(headers.get("X-Forwarded-For")).isEqualTo("10.0.0.1");
        assertThat(headers.get("Forwarded")).isEqualTo("for=10.0.0.1;proto=http;host=\"a.example\"");
    }

    @Test
    void trustedIpv6ProxyChainIsAppendedTo() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("X-Forwarded-For", "198.51.100.1")
                .add("X-Forwarded-Proto", "https")
                .add("Forwarded", "for=198.51.100.1");

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "2001:db8:0:0:0:0:0:5", false, "shop.example.com", 8080);

        assertThat(headers.get("X-Forwarded-For")).isEqualTo("198.51.100.1, 2001:db8:0:0:0:0:0:5");
        assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(headers.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
        assertThat(headers.get("Forwarded")).isEqualTo(
                "for=198.51.100.1, for=\"[2001:db8:0:0:0:0:0:5]\";proto=http;host=\"shop.example.com\"");
    }

    @Test
    void untrustedIpv6ClientIsQuotedAndBracketedInForwarded() {
        HttpHeaders headers = forgedByClient();

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "2001:db9::1", true, "[2001:db8::10]:8443", 8080);

        assertThat(headers.get("X-Forwarded-For")).isEqualTo("2001:db9::1");
        assertThat(headers.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(headers.get("X-Forwarded-Host")).isEqualTo("[2001:db8::10]:8443");
        assertThat(headers.get("Forwarded")).isEqualTo("for=\"[2001:db9::1]\";proto=https;host=\"[2001:db8::10]:8443\"");
    }

    @Test
    void everyForwardingHeaderOfAnUntrustedClientIsRemovedOrReplaced() {
        HttpHeaders headers = forgedByClient()
                .add("X-Real-IP", "6.6.6.6")
                .add("X-Forwarded-Port", "1")
                .add("X-Forwarded-Prefix", "/admin")
                .add("x-forwarded-ssl", "on")
                .add("X-Forwarded-Server", "evil")
                .add("X-FORWARDED-SCHEME", "https")
                .add("X-Forwarded", "for=6.6.6.6")
                .add("Accept", "*/*");

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "203.0.113.7", false, "shop.example.com", 8080);

        assertThat(headers.names()).containsExactlyInAnyOrder("Accept", "x-forwarded-for", "x-forwarded-proto",
                "x-forwarded-host", "forwarded", "x-real-ip", "x-forwarded-port", "X-Forwarded");
        assertThat(headers.get("X-Forwarded")).as("not an X-Forwarded-* header").isEqualTo("for=6.6.6.6");
        assertThat(headers.getAll("X-Real-IP")).containsExactly("203.0.113.7");
        assertThat(headers.getAll("X-Forwarded-Port")).containsExactly("8080");
        assertThat(headers.getAll("X-Forwarded-For")).containsExactly("203.0.113.7");
    }

    @Test
    void untrustedClientGetsRealIpAndListenerPort() {
        HttpHeaders headers = new DefaultHttpHeaders();

        NO_TRUSTED_PROXIES.apply(headers, "2001:db8::7", true, "shop.example.com", 8443);

        assertThat(headers.get("X-Real-IP")).isEqualTo("2001:db8::7");
        assertThat(headers.get("X-Forwarded-Port")).isEqualTo("8443");
    }

    @Test
    void trustedProxyKeepsItsRealIpPortAndOtherForwardingHeaders() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("X-Real-IP", "198.51.100.1")
                .add("X-Forwarded-Port", "443")
                .add("X-Forwarded-Prefix", "/app");

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "10.0.0.1", false, "a.example", 8080);

        assertThat(headers.getAll("X-Real-IP")).containsExactly("198.51.100.1");
        assertThat(headers.getAll("X-Forwarded-Port")).containsExactly("443");
        assertThat(headers.getAll("X-Forwarded-Prefix")).containsExactly("/app");
    }

    @Test
    void trustedProxyWithoutRealIpOrPortGetsThemSet() {
        HttpHeaders headers = new DefaultHttpHeaders();

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "10.0.0.1", false, "a.example", 8080);

        assertThat(headers.get("X-Real-IP")).isEqualTo("10.0.0.1");
        assertThat(headers.get("X-Forwarded-Port")).isEqualTo("8080");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.0.2.17",
        "2001:db8::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "fd12:3456::1", "::ffff:10.0.0.1"})
    void addressesInsideTrustedRangesAreTrusted(String ip) {
        assertThat(TRUSTS_PRIVATE_NETWORKS.isTrusted(ip)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.0.0.1", "9.255.255.255", "172.15.255.255", "172.32.0.1", "192.0.2.16",
        "192.0.2.18", "2001:db9::1", "2001:db7:ffff::1", "fe80::1", "::1", "127.0.0.1"})
    void addressesOutsideTrustedRangesAreNotTrusted(String ip) {
        assertThat(TRUSTS_PRIVATE_NETWORKS.isTrusted(ip)).isFalse();
    }

    @Test
    void anIpv4RangeDoesNotTrustIpv6ClientsAndViceVersa() {
        assertThat(trusting("0.0.0.0/0").isTrusted("2001:db8::1")).isFalse();
        assertThat(trusting("0.0.0.0/0").isTrusted("198.51.100.1")).isTrue();
        assertThat(trusting("::/0").isTrusted("198.51.100.1")).isFalse();
        assertThat(trusting("::/0").isTrusted("2001:db8::1")).isTrue();
    }

    @Test
    void noTrustedProxiesTrustsNobody() {
        assertThat(NO_TRUSTED_PROXIES.isTrusted("127.0.0.1")).isFalse();
        assertThat(NO_TRUSTED_PROXIES.isTrusted("::1")).isFalse();
    }

    @Test
    void noHostMeansNoForwardedHost() {
        HttpHeaders headers = new DefaultHttpHeaders();

        NO_TRUSTED_PROXIES.apply(headers, "203.0.113.7", false, null, 8080);

        assertThat(headers.contains("X-Forwarded-Host")).isFalse();
        assertThat(headers.get("Forwarded")).isEqualTo("for=203.0.113.7;proto=http");
        assertThat(headers.get("X-Forwarded-For")).isEqualTo("203.0.113.7");
    }

    @Test
    void noHostRemovesAForgedForwardedHost() {
        HttpHeaders headers = forgedByClient();

        NO_TRUSTED_PROXIES.apply(headers, "203.0.113.7", false, null, 8080);

        assertThat(headers.contains("X-Forwarded-Host")).isFalse();
        assertThat(headers.get("Forwarded")).isEqualTo("for=203.0.113.7;proto=http");
    }

    @Test
    void noHostKeepsTheForwardedHostOfATrustedProxy() {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Forwarded-Host", "shop.example.com");

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "10.0.0.1", false, null, 8080);

        assertThat(headers.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
        assertThat(headers.get("Forwarded")).isEqualTo("for=10.0.0.1;proto=http");
    }

    @Test
    void everyForwardingLineOfATrustedProxyIsKept() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("X-Forwarded-For", "198.51.100.1")
                .add("X-Forwarded-For", "198.51.100.2")
                .add("Forwarded", "for=198.51.100.1")
                .add("Forwarded", "for=198.51.100.2");

        TRUSTS_PRIVATE_NETWORKS.apply(headers, "10.0.0.1", false, "a.example", 8080);

        assertThat(headers.getAll("X-Forwarded-For")).containsExactly("198.51.100.1, 198.51.100.2, 10.0.0.1");
        assertThat(headers.getAll("Forwarded")).containsExactly(
                "for=198.51.100.1, for=198.51.100.2, for=10.0.0.1;proto=http;host=\"a.example\"");
    }

    private static HttpHeaders forgedByClient() {
        return new DefaultHttpHeaders()
                .add("X-Forwarded-For", "1.2.3.4")
                .add("x-forwarded-for", "5.6.7.8")
                .add("X-Forwarded-Proto", "https")
                .add("X-Forwarded-Host", "evil.example")
                .add("Forwarded", "for=1.2.3.4;proto=https;host=evil.example")
                .add("forwarded", "for=5.6.7.8");
    }

    private static ForwardedHeaders trusting(String... cidrs) {
        return new ForwardedHeaders(Arrays.stream(cidrs).map(Cidr::parse).toList());
    }
}
