package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --check}, {@code --version}, {@code --help} and their exit codes. */
class CommandLineTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void checkOfAValidConfigPrintsASummaryAndExitsZero() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Path config = dir.resolve("gw.toml");
        Files.writeString(config, "[[routes]]\npath = \"/api/*\"\ntargets = [\"http://127.0.0.1:3000\"]\n[static]\nroot = \"public\"\n");
        assertThat(run("--config", config.toString(), "--check")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("configuration is valid", "1 routes", "1 upstreams");
    }

    @Test
    void checkOfAConfigUsingEveryRouteFeatureIsValidWithoutWarnings() throws Exception {
        Path config = dir.resolve("gw.toml");
        Files.writeString(config, "[[routes]]\npath = \"/api/*\"\nupstream = \"api\"\nwebsocket = true\n"
                + "rate_limit = { rate = 10 }\n[upstreams.api]\ntargets = [\"http://127.0.0.1:3000\"]\n"
                + "sticky_cookie = \"GW\"\n[upstreams.api.health_check]\npath = \"/health\"\n");
        assertThat(run("--config", config.toString(), "--check")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("configuration is valid").doesNotContain("warning");
    }

    @Test
    void checkOfAnInvalidConfigListsEveryProblemAndExitsTwo() throws Exception {
        Path config = dir.resolve("gw.toml");
        Files.writeString(config, "[server]\nlisten = \"nowhere\"\nmax_body_sise = 1\n[[routes]]\npath = \"/x\"\n");
        assertThat(run("--config", config.toString(), "--check")).isEqualTo(2);
        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(errors).contains("configuration is invalid", "server.listen", "max_body_sise", "max_body_size", "routes[0]");
    }

    @Test
    void checkNamesTheHeaderSettingsByKeyPath() throws Exception {
        Path config = dir.resolve("gw.toml");
        Files.writeString(config, "[server]\nunderscores_in_headers = \"no\"\nvia = \"a gateway\"\n");
        assertThat(run("--config", config.toString(), "--check")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("server.underscores_in_headers", "server.via",
                "'a gateway' is not a token");
    }

    @Test
    void invalidConfigAtStartUpExitsTwoWithoutBinding() throws Exception {
        Path config = dir.resolve("gw.toml");
        Files.writeString(config, "[server]\nlisten = \"127.0.0.1:0\"\ntimeout = 5\n");
        assertThat(run("--config", config.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("server.timeout");
    }

    @Test
    void missingConfigFileExitsTwo() {
        assertThat(run("--config", dir.resolve("absent.toml").toString(), "--check")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("absent.toml");
    }

    @Test
    void versionAndHelp() {
        assertThat(run("--version")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("gateway ");
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--config FILE", "--check");
    }

    @Test
    void unknownArgumentExitsTwoWithUsage() {
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown argument '--frobnicate'", "usage:");
    }
}
