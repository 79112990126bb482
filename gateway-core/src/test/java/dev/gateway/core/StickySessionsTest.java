package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sticky_cookie}: the first response pins a client; the pin holds while its target is usable. */
class StickySessionsTest {

    @TempDir
    Path dir;

    @Test
    void clientStaysOnItsTargetAndMovesWhenItDies() throws Exception {
        try (TestBackend a = TestBackend.start(() -> BackendHandlers.ok("a"));
             TestBackend b = TestBackend.start(() -> BackendHandlers.ok("b"));
             TestBackend c = TestBackend.start(() -> BackendHandlers.ok("c"));
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\nupstream = \"app\"\n"
                     + "retries = 1\n[upstreams.app]\nsticky_cookie = \"GW_SRV\"\ntargets = [\"" + a.url() + "\", \""
                     + b.url() + "\", \"" + c.url() + "\"]\n")) {
            HttpResponse<String> first = gateway.get("/");
            String setCookie = first.headers().firstValue("set-cookie").orElseThrow();
            assertThat(setCookie).startsWith("GW_SRV=").contains("Path=/", "HttpOnly");
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            for (int i = 0; i < 12; i++) {
                HttpResponse<String> pinned = withCookie(gateway, cookie);
                assertThat(pinned.body()).as("request %d", i).isEqualTo(first.body());
                assertThat(pinned.headers().firstValue("set-cookie")).isEmpty();
            }

            Set<String> spread = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                spread.add(gateway.get("/").body());
            }
            assertThat(spread).as("clients without the cookie are still spread").hasSize(3);

            List.of(a, b, c).get("abc".indexOf(first.body())).close();

            HttpResponse<String> moved = withCookie(gateway, cookie);
            assertThat(moved.statusCode()).isEqualTo(200);
            assertThat(moved.body()).isNotEqualTo(first.body());
            String rePinned = moved.headers().firstValue("set-cookie").orElseThrow();
            String newCookie = rePinned.substring(0, rePinned.indexOf(';'));
            assertThat(newCookie).isNotEqualTo(cookie);
            for (int i = 0; i < 6; i++) {
                assertThat(withCookie(gateway, newCookie).body()).isEqualTo(moved.body());
            }
        }
    }

    private static HttpResponse<String> withCookie(GatewayFixture gateway, String cookie) throws Exception {
        return gateway.send(HttpRequest.newBuilder(gateway.uri("/")).header("Cookie", "theme=dark; " + cookie).build());
    }
}
