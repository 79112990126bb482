package dev.gateway.core.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.config.AdminConfig;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.HostPort;
import dev.gateway.config.TracingConfig;
import dev.gateway.config.load.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which {@code [admin]} settings a reload applies (the token) and which wait for a restart (the listener's, and {@code [tracing]}). */
class RestartOnlySettingsTest {

    @TempDir
    Path dir;

    private GatewayConfig load(String adminKeys) throws Exception {
        return load(adminKeys, "");
    }

    private GatewayConfig load(String adminKeys, String more) throws Exception {
        Path file = dir.resolve("app_config.toml");
        Files.writeString(file, "[admin]\n" + adminKeys + "\n[[routes]]\npath = \"/\"\nredirect = \"/x\"\n" + more);
        return ConfigLoader.load(file, Map.of());
    }

    @Test
    void tracingNeedsARestart() throws Exception {
        GatewayConfig running = load("", "");
        GatewayConfig loaded = load("", "[tracing]\nsample_ratio = 0.5\n");

        RestartOnlySettings.Merged merged = RestartOnlySettings.merge(running, loaded);

        assertThat(merged.config().tracing()).isEqualTo(TracingConfig.OFF);
        assertThat(merged.needsRestart()).singleElement().asString()
                .startsWith("tracing changed (TracingConfig[enabled=false").endsWith("needs a restart; keeping "
                        + TracingConfig.OFF);
    }

    @Test
    void adminListenerSettingsNeedARestartAndTheTokenApplies() throws Exception {
        GatewayConfig running = load("listen = \"127.0.0.1:9901\"");
        GatewayConfig loaded = load("listen = \"127.0.0.1:9902\"\nmax_connections = 8\n"
                + "allowed_hosts = [\"admin.internal\"]\ntoken = \"t0ken\"");

        RestartOnlySettings.Merged merged = RestartOnlySettings.merge(running, loaded);

        assertThat(merged.config().admin()).isEqualTo(
                new AdminConfig(new HostPort("127.0.0.1", 9901), Optional.of("t0ken"), 64, List.of()));
        assertThat(merged.needsRestart()).containsExactly(
                "admin.listen changed (127.0.0.1:9901 -> 127.0.0.1:9902), needs a restart; keeping 127.0.0.1:9901",
                "admin.max_connections changed (64 -> 8), needs a restart; keeping 64",
                "admin.allowed_hosts changed ([] -> [admin.internal]), needs a restart; keeping []");
    }

    @Test
    void aTokenChangeAloneNeedsNoRestart() throws Exception {
        GatewayConfig running = load("max_connections = 8\nallowed_hosts = [\"admin.internal\"]\ntoken = \"old\"");
        GatewayConfig loaded = load("max_connections = 8\nallowed_hosts = [\"admin.internal\"]");

        RestartOnlySettings.Merged merged = RestartOnlySettings.merge(running, loaded);

        assertThat(merged.needsRestart()).isEmpty();
        assertThat(merged.config().admin()).isEqualTo(loaded.admin());
    }

    @Test
    void certificatesAndEngineSettingsApplyButTheListenersAndHttp2WaitForARestart() throws Exception {
        dev.gateway.testkit.TestPki pki = dev.gateway.testkit.TestPki.ca("ca");
        pki.server("a.test").write(dir, "a");
        pki.server("b.test").write(dir, "b");
        Path file = dir.resolve("app_config.toml");
        Files.writeString(file, "[server.tls]\ncert = \"a.crt\"\nkey = \"a.key\"\nredirect_from = \"127.0.0.1:8080\"\n");
        GatewayConfig running = ConfigLoader.load(file, Map.of());
        Files.writeString(file, "[server]\nhttp2 = false\n[server.tls]\ncert = \"b.crt\"\nkey = \"b.key\"\n"
                + "redirect_from = \"127.0.0.1:8081\"\nmin_version = \"TLSv1.3\"\n");
        GatewayConfig loaded = ConfigLoader.load(file, Map.of());

        RestartOnlySettings.Merged merged = RestartOnlySettings.merge(running, loaded);

        dev.gateway.config.TlsConfig tls = merged.config().server().tls().orElseThrow();
        assertThat(tls.certificate().orElseThrow().cert()).isEqualTo(dir.resolve("b.crt"));
        assertThat(tls.minVersion()).isEqualTo("TLSv1.3");
        assertThat(tls.redirectFrom()).contains(new HostPort("127.0.0.1", 8080));
        assertThat(merged.config().server().http2().enabled()).isTrue();
        assertThat(merged.needsRestart()).containsExactly(
                "server.tls.redirect_from changed (127.0.0.1:8080 -> 127.0.0.1:8081), needs a restart; keeping 127.0.0.1:8080",
                "server.http2 changed (true -> false), needs a restart; keeping true");

        Files.writeString(file, "[[routes]]\npath = \"/\"\nredirect = \"/x\"\n");
        RestartOnlySettings.Merged plain = RestartOnlySettings.merge(running, ConfigLoader.load(file, Map.of()));
        assertThat(plain.config().server().tls()).isEqualTo(running.server().tls());
        assertThat(plain.needsRestart()).containsExactly(
                "server.tls changed (present -> none), needs a restart; keeping present");
    }
}
