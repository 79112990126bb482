package dev.gateway.config.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gateway.config.ConfigFiles;
import dev.gateway.config.ConfigProblem;
import dev.gateway.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsAndSizesTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "250ms, 250",
        "5s, 5000",
        "2m, 120000",
        "1h, 3600000",
        "1m30s, 90000",
        "1h2m3s4ms, 3723004",
        "1.5s, 1500",
        "0s, 0",
        "' 10s ', 10000",
    })
    void durationsWithUnitsParse(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void bareNumberDurationNamesTheExpectedForm() {
        assertThatThrownBy(() -> Durations.parse("30"))
                .hasMessage("'30' has no unit (expected e.g. \"30s\"; units: ms, s, m, h)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "5 s", "5sec", "-5s", "5d", "1m30", "5S", "1e3ms", "ms5"})
    void malformedDurationsAreRefused(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hugeDurationIsRefused() {
        assertThatThrownBy(() -> Durations.parse("99999999999h")).hasMessageContaining("too long");
    }

    @Test
    void durationsAreFormattedTheWayTheyWouldBeWritten() {
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
    }

    @Test
    void integerDurationInTheFileIsAnErrorShowingTheStringForm() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, "[server]\nheader_timeout = 10\n");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("server.header_timeout");
            assertThat(p.message()).isEqualTo("expected a duration string with a unit, e.g. \"10s\" (units: ms, s, m, h), "
                    + "got integer 10");
        });
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "0, 0",
        "512, 512",
        "512B, 512",
        "16KB, 16000",
        "16KiB, 16384",
        "100MB, 100000000",
        "100MiB, 104857600",
        "2GB, 2000000000",
        "2GiB, 2147483648",
        "'8 KiB', 8192",
        "8kib, 8192",
    })
    void sizesWithUnitsParse(String text, long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "KiB", "16k", "16M", "1.5MiB", "-1", "16 parsecs", "99999999999GiB"})
    void malformedSizesAreRefused(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void singleLetterUnitIsRefusedWithTheUnitList() {
        assertThatThrownBy(() -> Sizes.parse("16k"))
                .hasMessage("unknown unit 'k' in '16k' (expected one of: B, KB, MB, GB, KiB, MiB, GiB)");
    }

    @Test
    void sizesAreFormattedWithTheLargestExactBinaryUnit() {
        assertThat(Sizes.format(16384)).isEqualTo("16KiB");
        assertThat(Sizes.format(100L * 1024 * 1024)).isEqualTo("100MiB");
        assertThat(Sizes.format(4L * 1024 * 1024 * 1024)).isEqualTo("4GiB");
        assertThat(Sizes.format(1000)).isEqualTo("1000");
        assertThat(Sizes.format(0)).isEqualTo("0");
    }

    @Test
    void sizesInTheFileMayBeIntegersOrStrings() throws Exception {
        ServerConfig server = ConfigFiles.parse(dir, """
                [server]
                max_initial_line = 4096
                max_header_size = "32KiB"
                max_body_size = 0
                """).server();

        assertThat(server.maxInitialLine()).isEqualTo(4096);
        assertThat(server.maxHeaderSize()).isEqualTo(32 * 1024);
        assertThat(server.maxBodySize()).as("0 = unlimited").isZero();
    }

    @Test
    void sizeOfWrongTypeIsAnError() {
        assertThat(ConfigFiles.problems(dir, "[server]\nmax_body_size = true\n")).singleElement()
                .extracting(ConfigProblem::message)
                .isEqualTo("expected a size (bytes, or a string such as \"16KiB\"), got boolean");
    }
}
