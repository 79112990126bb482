package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a web page in a browser can do to the admin listener: nothing. A page served from another
 * name that resolves to the admin address (DNS rebinding) is refused by the Host check (421); a
 * page that posts to {@code http://127.0.0.1:9901/reload} is refused by the Origin and
 * {@code Sec-Fetch-Site} checks (403). Tools (curl, Prometheus, the Docker health check) that send
 * an IP literal or localhost as Host, and no Origin, are served as before. Over raw sockets, so
 * that Host is what the test says.
 */
class AdminBrowserRequestsTest {

    @TempDir
    Path dir;

    private GatewayFixture start(String adminKeys) throws Exception {
        return GatewayFixture.start(dir, "", adminKeys, "");
    }

    /** One request on a fresh admin connection; {@code headers} are full lines without CRLF. */
    private static RawConnection.Response send(GatewayFixture gateway, String requestLine, String... headers)
            throws Exception {
        StringBuilder request = new StringBuilder(requestLine).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        boolean hasBody = requestLine.startsWith("POST");
        request.append(hasBody ? "Content-Length: 0\r\n\r\n" : "\r\n");
        try (RawConnection c = gateway.adminRaw()) {
            return c.send(request.toString()).read(requestLine.startsWith("HEAD"));
        }
    }

    private static String own(GatewayFixture gateway) {
        return "127.0.0.1:" + gateway.server.adminAddress().getPort();
    }

    @Test
    void anotherHostNameIs421WithAJsonError() throws Exception {
        try (GatewayFixture gateway = start("")) {
            int port = gateway.server.adminAddress().getPort();
            for (String path : new String[] {"/status", "/metrics", "/health", "/ready", "/nothing"}) {
                RawConnection.Response response = send(gateway, "GET " + path + " HTTP/1.1", "Host: evil.example:" + port);
                assertThat(response.status()).as(path).isEqualTo(421);
                assertThat(response.header("content-type")).isEqualTo("application/json");
                assertThat(response.body()).contains("\"status\":421", "\"error\":\"Misdirected Request\"");
            }
            assertThat(send(gateway, "POST /reload HTTP/1.1", "Host: evil.example").status()).isEqualTo(421);
            assertThat(send(gateway, "GET /status HTTP/1.1", "Host: localhost.evil.example").status()).isEqualTo(421);
            assertThat(send(gateway, "GET /status HTTP/1.1", "Host: 127.0.0.1.nip.io").status()).isEqualTo(421);
            assertThat(gateway.server.reloadStats().succeeded()).isZero();
        }
    }

    @Test
    void ipLiteralsAndLocalhostAreServed() throws Exception {
        try (GatewayFixture gateway = start("")) {
            int port = gateway.server.adminAddress().getPort();
            for (String host : new String[] {"127.0.0.1:" + port, "127.0.0.1", "10.1.2.3:9901", "[::1]:" + port,
                    "[::1]", "localhost:" + port, "LocalHost", "localhost."}) {
                assertThat(send(gateway, "GET /status HTTP/1.1", "Host: " + host).status()).as(host).isEqualTo(200);
            }
        }
    }

    @Test
    void namesInAllowedHostsAreServed() throws Exception {
        try (GatewayFixture gateway = start("allowed_hosts = [\"gateway-admin.internal\"]")) {
            assertThat(send(gateway, "GET /metrics HTTP/1.1", "Host: gateway-admin.internal:9901").status()).isEqualTo(200);
            assertThat(send(gateway, "GET /metrics HTTP/1.1", "Host: Gateway-Admin.Internal.").status()).isEqualTo(200);
            assertThat(send(gateway, "GET /metrics HTTP/1.1", "Host: other.internal").status()).isEqualTo(421);
            assertThat(send(gateway, "GET /metrics HTTP/1.1", "Host: gateway-admin.internal.evil.example").status())
                    .isEqualTo(421);
        }
    }

    @Test
    void dockerHealthCheckIsServed() throws Exception {
        try (GatewayFixture gateway = start("")) {
            // The Dockerfile's HEALTHCHECK, byte for byte, to 127.0.0.1.
            try (RawConnection c = gateway.adminRaw()) {
                String statusLine = c.send("GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n").read().statusLine();
                assertThat(statusLine).contains(" 200 ");
            }
            assertThat(send(gateway, "GET /health HTTP/1.0").status()).as("HTTP/1.0 without Host").isEqualTo(200);
        }
    }

    @Test
    void curlStyleReloadWithoutOriginIsServed() throws Exception {
        try (GatewayFixture gateway = start("")) {
            RawConnection.Response response = send(gateway, "POST /reload HTTP/1.1", "Host: " + own(gateway),
                    "User-Agent: curl/8.5.0", "Accept: */*");
            assertThat(response.status()).isEqualTo(200);
            assertThat(gateway.server.reloadStats().succeeded()).isEqualTo(1);
        }
    }

    @Test
    void reloadFromAnotherOriginIs403() throws Exception {
        try (GatewayFixture gateway = start("")) {
            int port = gateway.server.adminAddress().getPort();
            for (String origin : new String[] {"http://evil.example", "null", "https://" + own(gateway),
                    "http://127.0.0.1:" + (port == 1 ? 2 : port - 1), "http://localhost:" + port}) {
                RawConnection.Response response = send(gateway, "POST /reload HTTP/1.1", "Host: " + own(gateway),
                        "Origin: " + origin, "Content-Type: text/plain");
                assertThat(response.status()).as(origin).isEqualTo(403);
                assertThat(response.header("content-type")).isEqualTo("application/json");
            }
            assertThat(gateway.server.reloadStats().succeeded()).isZero();
        }
    }

    @Test
    void reloadFromTheListenersOwnOriginIsServed() throws Exception {
        try (GatewayFixture gateway = start("")) {
            assertThat(send(gateway, "POST /reload HTTP/1.1", "Host: " + own(gateway),
                    "Origin: http://" + own(gateway)).status()).isEqualTo(200);
            int port = gateway.server.adminAddress().getPort();
            assertThat(send(gateway, "POST /reload HTTP/1.1", "Host: localhost:" + port,
                    "Origin: http://LOCALHOST:" + port).status()).isEqualTo(200);
            assertThat(gateway.server.reloadStats().succeeded()).isEqualTo(2);
        }
    }

    @Test
    void reloadMarkedCrossSiteOrSameSiteByTheBrowserIs403() throws Exception {
        try (GatewayFixture gateway = start("")) {
            for (String site : new String[] {"cross-site", "same-site"}) {
                assertThat(send(gateway, "POST /reload HTTP/1.1", "Host: " + own(gateway), "Sec-Fetch-Site: " + site)
                        .status()).as(site).isEqualTo(403);
            }
            assertThat(gateway.server.reloadStats().succeeded()).isZero();
            for (String site : new String[] {"same-origin", "none"}) {
                assertThat(send(gateway, "POST /reload HTTP/1.1", "Host: " + own(gateway), "Sec-Fetch-Site: " + site)
                        .status()).as(site).isEqualTo(200);
            }
        }
    }

    @Test
    void readsAreNotRefusedForTheirOrigin() throws Exception {
        try (GatewayFixture gateway = start("")) {
            assertThat(send(gateway, "GET /status HTTP/1.1", "Host: " + own(gateway), "Origin: http://evil.example",
                    "Sec-Fetch-Site: cross-site").status()).isEqualTo(200);
            assertThat(send(gateway, "HEAD /metrics HTTP/1.1", "Host: " + own(gateway), "Origin: http://evil.example")
                    .status()).isEqualTo(200);
        }
    }

    @Test
    void tokenRulesStillApplyAndAForeignOriginIsRefusedEvenWithTheToken() throws Exception {
        try (GatewayFixture gateway = start("token = \"s3cret\"")) {
            assertThat(send(gateway, "POST /reload HTTP/1.1", "Host: " + own(gateway),
                    "Origin: http://" + own(gateway)).status()).isEqualTo(401);
            assertThat(send(gateway, "POST /reload HTTP/1.1", "Host: " + own(gateway),
                    "Origin: http://evil.example", "Authorization: Bearer s3cret").status()).isEqualTo(403);
            assertThat(send(gateway, "POST /reload HTTP/1.1", "Host: " + own(gateway),
                    "Authorization: Bearer s3cret").status()).isEqualTo(200);
        }
    }
}
