package dev.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class WebSocketUpgradeDetectionTest {

    private static HttpRequest request(HttpMethod method, HttpVersion version, String upgrade, String connection) {
        HttpRequest request = new DefaultHttpRequest(version, method, "/ws");
        if (upgrade != null) {
            request.headers().set("Upgrade", upgrade);
        }
        if (connection != null) {
            request.headers().set("Connection", connection);
        }
        return request;
    }

    @Test
    void aWebSocketHandshakeIsRecognisedInAnyCaseAndInLists() {
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, "websocket", "Upgrade"))).isTrue();
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, "WebSocket", "keep-alive, upgrade"))).isTrue();
    }

    @Test
    void otherUpgradesMethodsAndVersionsAreNotWebSocketHandshakes() {
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, "h2c", "Upgrade"))).isFalse();
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, "websocket", "keep-alive"))).isFalse();
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_1, null, "Upgrade"))).isFalse();
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.POST, HttpVersion.HTTP_1_1, "websocket", "Upgrade"))).isFalse();
        assertThat(WebSocketUpgrade.isRequested(request(HttpMethod.GET, HttpVersion.HTTP_1_0, "websocket", "Upgrade"))).isFalse();
    }

    @Test
    void restoringPutsBackExactlyTheHandshakeHeadersAfterStripping() {
        HttpRequest request = request(HttpMethod.GET, HttpVersion.HTTP_1_1, "websocket", "Upgrade, X-Secret");
        request.headers().set("X-Secret", "hop");
        request.headers().set("Sec-WebSocket-Key", "k");
        HopByHopHeaders.strip(request.headers());
        WebSocketUpgrade.restoreHeaders(request.headers());
        assertThat(request.headers().get("Upgrade")).isEqualTo("websocket");
        assertThat(request.headers().get("Connection")).isEqualTo("upgrade");
        assertThat(request.headers().contains("X-Secret")).isFalse();
        assertThat(request.headers().get("Sec-WebSocket-Key")).isEqualTo("k");
    }
}
