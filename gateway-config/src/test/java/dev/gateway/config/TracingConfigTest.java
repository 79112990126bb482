package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code [tracing]}: off without the table, its defaults with an empty one, each key validated at its key path. */
class TracingConfigTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheTableTracingIsOff() throws Exception {
        assertThat(ConfigFiles.parse(dir, "").tracing()).isEqualTo(TracingConfig.OFF);
        assertThat(TracingConfig.OFF.enabled()).isFalse();
    }

    @Test
    void anEmptyTableTurnsItOnWithItsDefaults() throws Exception {
        TracingConfig tracing = ConfigFiles.parse(dir, "[tracing]\n").tracing();
        assertThat(tracing).isEqualTo(new TracingConfig(true, 1.0, Optional.empty(), "gateway"));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        TracingConfig tracing = ConfigFiles.parse(dir, """
                [tracing]
                sample_ratio = 0.25
                otlp_endpoint = "${OTLP:-http://collector:4318/v1/traces}"
                service_name = "edge-gateway"
                """, Map.of()).tracing();
        assertThat(tracing).isEqualTo(new TracingConfig(true, 0.25, Optional.of("http://collector:4318/v1/traces"),
                "edge-gateway"));
        assertThat(ConfigFiles.parse(dir, "[tracing]\nsample_ratio = 0\n").tracing().sampleRatio()).isZero();
        assertThat(ConfigFiles.parse(dir, "tracing = { sample_ratio = 1 }\n").tracing().sampleRatio()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1:4318              | http://127.0.0.1:4318/v1/traces",
        "http://127.0.0.1:4318/             | http://127.0.0.1:4318/v1/traces",
        "https://otel.example.com/v1/traces | https://otel.example.com/v1/traces",
        "http://[::1]:4318/custom/path      | http://[::1]:4318/custom/path",
    })
    void anEndpointWithoutAPathGetsTheOtlpTracesPath(String written, String used) throws Exception {
        assertThat(ConfigFiles.parse(dir, "[tracing]\notlp_endpoint = \"" + written + "\"\n").tracing().otlpEndpoint())
                .hasValue(used);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sample_ratio = 1.5                 | tracing.sample_ratio  | 1.5 (expected: 0.0-1.0)",
        "sample_ratio = -0.1                | tracing.sample_ratio  | -0.1 (expected: 0.0-1.0)",
        "sample_ratio = \"0.5\"             | tracing.sample_ratio  | expected a number, got string",
        "otlp_endpoint = \"collector:4318\" | tracing.otlp_endpoint | is not an http or https URL",
        "otlp_endpoint = \"grpc://c:4317\"  | tracing.otlp_endpoint | is not an http or https URL",
        "otlp_endpoint = \"http://c:4318/v1/traces?x=1\" | tracing.otlp_endpoint | without user, query or fragment",
        "otlp_endpoint = \"http:// bad\"    | tracing.otlp_endpoint | is not a URL",
        "service_name = \"\"                | tracing.service_name  | is not a service name",
        "sample_rate = 0.5                  | tracing.sample_rate   | did you mean 'sample_ratio'?",
    })
    void mistakesAreReportedAtTheirKeyPath(String line, String keyPath, String message) {
        ConfigFiles.assertSingleProblem(dir, "[tracing]\n" + line + "\n", keyPath, message);
    }

    @Test
    void problemsCarryTheirLine() {
        assertThat(ConfigFiles.problems(dir, "[server]\n\n[tracing]\nsample_ratio = 2\n").get(0).line()).hasValue(4);
    }
}
