package dev.gateway.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.gateway.config.ConfigFiles;
import dev.gateway.config.ConfigProblem;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.HeaderRules;
import dev.gateway.config.HostPort;
import dev.gateway.config.RouteConfig;
import dev.gateway.config.TargetConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvSubstitutionTest {

    @TempDir
    Path dir;

    @Test
    void variablesAreReplacedInPlainStringValues() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [server]
                listen = "${HOST}:${PORT}"
                idle_timeout = "${IDLE}"
                [admin]
                token = "${ADMIN_TOKEN}"
                """, Map.of("HOST", "127.0.0.1", "PORT", "9000", "IDLE", "2m", "ADMIN_TOKEN", "s3cret"));

        assertThat(config.server().listen()).isEqualTo(new HostPort("127.0.0.1", 9000));
        assertThat(config.server().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.admin().token()).contains("s3cret");
    }

    @Test
    void variablesAreReplacedInsideArraysAndInlineTables() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/api/*"
                methods = ["${METHOD}"]
                request_headers = { set = { "X-Env" = "${ENV}" }, remove = ["${DROP}"] }
                upstream = "api"

                [upstreams.api]
                targets = ["http://${BACKEND}:3000", { url = "http://${BACKEND}:3001", weight = 2 }]
                """, Map.of("METHOD", "get", "ENV", "prod", "DROP", "X-Debug", "BACKEND", "10.0.0.5"));

        RouteConfig route = config.routes().get(0);
        assertThat(route.methods()).containsExactly("GET");
        assertThat(route.requestHeaders()).isEqualTo(new HeaderRules(Map.of("X-Env", "prod"), List.of("X-Debug")));
        assertThat(config.upstream("api").targets()).extracting(TargetConfig::url)
                .containsExactly("http://10.0.0.5:3000", "http://10.0.0.5:3001");
    }

    @Test
    void defaultIsUsedWhenTheVariableIsUnsetOrEmpty() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [server]
                listen = "${HOST:-0.0.0.0}:${PORT:-8443}"
                [logging]
                level = "${LOG_LEVEL:-warn}"
                """, Map.of("HOST", ""));

        assertThat(config.server().listen()).isEqualTo(new HostPort("0.0.0.0", 8443));
        assertThat(config.logging().level()).isEqualTo("warn");
    }

    @Test
    void setVariableWinsOverItsDefault() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, "[logging]\nlevel = \"${LOG_LEVEL:-warn}\"\n",
                Map.of("LOG_LEVEL", "debug"));

        assertThat(config.logging().level()).isEqualTo("debug");
    }

    @Test
    void undefinedVariableWithoutDefaultIsAnErrorAtItsKeyPath() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [[routes]]
                path = "/api/*"
                targets = ["http://a:1", "http://${BACKEND}:2"]
                request_headers = { set = { "Authorization" = "Bearer ${TOKEN}" } }
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath, ConfigProblem::message).containsExactly(
                tuple("routes[0].targets[1]",
                        "environment variable 'BACKEND' is not set (give a default with '${BACKEND:-default}')"),
                tuple("routes[0].request_headers.set.Authorization",
                        "environment variable 'TOKEN' is not set (give a default with '${TOKEN:-default}')"));
        assertThat(problems).extracting(p -> p.line().orElse(-1)).containsExactly(3, 4);
    }

    @Test
    void doubleDollarEscapesALiteralDollarBrace() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/"
                redirect = "/x"
                response_headers = { set = { "X-Template" = "$${NOT_A_VAR} costs $5 and $$" } }
                """);

        assertThat(config.routes().get(0).responseHeaders().set())
                .containsEntry("X-Template", "${NOT_A_VAR} costs $5 and $$");
    }

    @Test
    void malformedReferencesAreErrors() {
        assertThat(ConfigFiles.problems(dir, "[admin]\ntoken = \"${UNCLOSED\"\n").get(0).message())
                .contains("unterminated '${'");
        assertThat(ConfigFiles.problems(dir, "[admin]\ntoken = \"${1BAD}\"\n").get(0).message())
                .contains("invalid variable name '1BAD'");
    }

    @Test
    void substitutionRulesHoldForSingleStrings() {
        Map<String, String> env = Map.of("A", "x", "EMPTY", "");

        assertThat(EnvSubstitution.apply("${A}${A}-${B:-y}-${EMPTY:-z}-${A:-}", env)).isEqualTo("xx-y-z-x");
        assertThat(EnvSubstitution.apply("${B:-}", env)).isEmpty();
        assertThat(EnvSubstitution.apply("${EMPTY}", env)).isEmpty();
        assertThat(EnvSubstitution.apply("${B:-a:-b}", env)).isEqualTo("a:-b");
        assertThat(EnvSubstitution.apply("no vars $HOME", env)).isEqualTo("no vars $HOME");
        assertThatThrownBy(() -> EnvSubstitution.apply("${B}", env)).hasMessageContaining("'B' is not set");
    }

    @Test
    void variablesAreNotReadFromNonStringValues() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, "[server]\nio_threads = 4\n", Map.of());

        assertThat(config.server().ioThreads()).isEqualTo(4);
    }
}
