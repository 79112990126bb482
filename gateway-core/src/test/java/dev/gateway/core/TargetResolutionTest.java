package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Target host names go through the asynchronous DNS resolver (which also reads /etc/hosts). */
class TargetResolutionTest {

    @TempDir
    Path dir;

    @Test
    void hostNameTargetIsResolvedAndUsed() throws Exception {
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.ok("by name"));
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\ntargets = [\"http://localhost:"
                     + backend.port() + "\"]\npreserve_host = false\n")) {
            for (int i = 0; i < 3; i++) {
                assertThat(gateway.get("/x").body()).isEqualTo("by name");
            }
        }
    }

    @Test
    void unresolvableTargetIs502NotAHang() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(dir,
                "[[routes]]\npath = \"/*\"\nretries = 0\ntargets = [\"http://no-such-host.invalid:8080\"]\n")) {
            assertThat(gateway.get("/x").statusCode()).isIn(502, 504);
        }
    }
}
