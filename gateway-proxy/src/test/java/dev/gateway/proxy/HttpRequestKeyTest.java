package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HttpRequestKeyTest {

    @Test
    void clientIpAndPathAreThoseGiven() {
        HttpRequestKey key = new HttpRequestKey("2001:db8:0:0:0:0:0:5", "/users/7", new DefaultHttpHeaders());

        assertThat(key.clientIp()).isEqualTo("2001:db8:0:0:0:0:0:5");
        assertThat(key.path()).isEqualTo("/users/7");
    }

    @Test
    void headerIsLookedUpWhateverTheCase() {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Tenant", "acme");
        HttpRequestKey key = new HttpRequestKey("203.0.113.7", "/", headers);

        assertThat(key.header("x-tenant")).isEqualTo("acme");
        assertThat(key.header("X-TENANT")).isEqualTo("acme");
    }

    @Test
    void headerWithSeveralValuesGivesTheFirst() {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Tenant", "acme").add("x-tenant", "other");
        HttpRequestKey key = new HttpRequestKey("203.0.113.7", "/", headers);

        assertThat(key.header("X-Tenant")).isEqualTo("acme");
    }

    @Test
    void absentHeaderIsNull() {
        HttpRequestKey key = new HttpRequestKey("203.0.113.7", "/", new DefaultHttpHeaders().add("Accept", "*/*"));

        assertThat(key.header("X-Tenant")).isNull();
    }

    @Test
    void cookieIsFoundAmongSeveralInOneHeader() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Cookie", "theme=dark; session=abc123; lang=en");
        HttpRequestKey key = new HttpRequestKey("203.0.113.7", "/", headers);

        assertThat(key.cookie("session")).isEqualTo("abc123");
        assertThat(key.cookie("theme")).isEqualTo("dark");
        assertThat(key.cookie("lang")).isEqualTo("en");
    }

    @Test
    void cookieIsFoundInALaterCookieHeader() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Cookie", "theme=dark")
                .add("cookie", "GW_AFFINITY=t2; lang=en");
        HttpRequestKey key = new HttpRequestKey("203.0.113.7", "/", headers);

        assertThat(key.cookie("GW_AFFINITY")).isEqualTo("t2");
        assertThat(key.cookie("theme")).isEqualTo("dark");
    }

    @Test
    void cookieNamesAreCaseSensitive() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Cookie", "Session=upper; session=lower");
        HttpRequestKey key = new HttpRequestKey("203.0.113.7", "/", headers);

        assertThat(key.cookie("session")).isEqualTo("lower");
        assertThat(key.cookie("Session")).isEqualTo("upper");
        assertThat(key.cookie("SESSION")).isNull();
    }

    @Test
    void firstOfTwoSameNamedCookiesWins() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Cookie", "session=first; session=second")
                .add("Cookie", "session=third");
        HttpRequestKey key = new HttpRequestKey("203.0.113.7", "/", headers);

        assertThat(key.cookie("session")).isEqualTo("first");
    }

    @Test
    void quotedAndEmptyCookieValues() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Cookie", "quoted=\"abc\"; empty=; plain=x");
        HttpRequestKey key = new HttpRequestKey("203.0.113.7", "/", headers);

        assertThat(key.cookie("quoted")).isEqualTo("abc");
        assertThat(key.cookie("empty")).isEmpty();
        assertThat(key.cookie("plain")).isEqualTo("x");
    }

    @Test
    void missingCookieIsNull() {
        HttpRequestKey withCookies = new HttpRequestKey("203.0.113.7", "/",
                new DefaultHttpHeaders().add("Cookie", "theme=dark"));
        HttpRequestKey withoutCookies = new HttpRequestKey("203.0.113.7", "/", new DefaultHttpHeaders());

        assertThat(withCookies.cookie("session")).isNull();
        assertThat(withoutCookies.cookie("session")).isNull();
    }

    @Test
    void aCookieNameIsNotMatchedAgainstAValue() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Cookie", "theme=session; sessionx=1");
        HttpRequestKey key = new HttpRequestKey("203.0.113.7", "/", headers);

        assertThat(key.cookie("session")).isNull();
    }
}
