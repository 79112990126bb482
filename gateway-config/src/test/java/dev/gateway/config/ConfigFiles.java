package dev.gateway.config;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gateway.config.load.ConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Parses TOML text as if it were {@code app_config.toml} in a test's temporary directory. */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    public static GatewayConfig parse(Path dir, String toml) throws ConfigException {
        return parse(dir, toml, Map.of());
    }

    public static GatewayConfig parse(Path dir, String toml, Map<String, String> env) throws ConfigException {
        return ConfigLoader.parse(toml, dir.resolve("app_config.toml"), env);
    }

    /** The problems of a file that must not load. */
    public static List<ConfigProblem> problems(Path dir, String toml) {
        return problems(dir, toml, Map.of());
    }

    public static List<ConfigProblem> problems(Path dir, String toml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(dir, toml, env));
        if (e == null) {
            throw new AssertionError("expected configuration problems, but this loaded:\n" + toml);
        }
        return e.problems();
    }

    /** The file must fail with exactly one problem, at {@code keyPath}, whose message contains {@code message}. */
    public static void assertSingleProblem(Path dir, String toml, String keyPath, String message) {
        List<ConfigProblem> problems = problems(dir, toml);
        org.assertj.core.api.Assertions.assertThat(problems).hasSize(1);
        org.assertj.core.api.Assertions.assertThat(problems.get(0).keyPath()).isEqualTo(keyPath);
        org.assertj.core.api.Assertions.assertThat(problems.get(0).message()).contains(message);
    }

    public static Path mkdirs(Path dir, String relative) {
        try {
            return Files.createDirectories(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path dir, String relative, String content) {
        try {
            Path file = dir.resolve(relative);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
