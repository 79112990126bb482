package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/gateway turns config/jvm.options into a java command line. The "JVM" here is a script that
 * prints the arguments and environment it got, so the test sees exactly what would be run.
 */
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "bin", "gateway").toAbsolutePath().normalize();
    private static final Path SHIPPED_OPTIONS = Path.of("..", "config", "jvm.options").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private Path jar;

    @BeforeEach
    void fakeJvm() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
        Path java = Files.writeString(bin.resolve("java"),
                "#!/bin/sh\nfor a in \"$@\"; do echo \"arg:$a\"; done\necho \"env:MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.writeString(dir.resolve("gateway.jar"), "not really a jar");
    }

    @Test
    void passesTheShippedOptionsThenJavaOptsThenTheJarAndArguments() throws Exception {
        List<String> args = run(Map.of("JAVA_OPTS", "-Xmx256m -Dx=y"), "--config", "my config.toml");

        List<String> shipped = Files.readAllLines(SHIPPED_OPTIONS).stream()
                .map(line -> line.replaceAll("#.*", "").trim())
                .filter(line -> !line.isEmpty())
                .map(line -> "arg:" + line)
                .toList();
        assertThat(shipped).contains("arg:-XX:+UseSerialGC", "arg:-XX:+ExitOnOutOfMemoryError");
        assertThat(args).startsWith(shipped.toArray(String[]::new));
        assertThat(args.subList(shipped.size(), args.size())).containsExactly(
                "arg:-Xmx256m", "arg:-Dx=y", "arg:-jar", "arg:" + jar, "arg:--config", "arg:my config.toml",
                "env:MALLOC_ARENA_MAX=2");
    }

    @Test
    void readsAnotherOptionsFileWithCommentsAndBlankLines() throws Exception {
        Path options = Files.writeString(dir.resolve("jvm.options"), "# heap\n\n  -Xmx64m   # inline comment\n-Xss1m\n");
        List<String> args = run(Map.of("GATEWAY_JVM_OPTIONS", options.toString()), "--check");
        assertThat(args).containsExactly("arg:-Xmx64m", "arg:-Xss1m", "arg:-jar", "arg:" + jar, "arg:--check",
                "env:MALLOC_ARENA_MAX=2");
    }

    @Test
    void usesAnAppCdsArchiveOnlyWhenItIsNotOlderThanTheJar() throws Exception {
        Path options = Files.writeString(dir.resolve("jvm.options"), "-Xmx64m\n");
        Path archive = Files.writeString(dir.resolve("gateway.jsa"), "archive");
        Map<String, String> env = Map.of("GATEWAY_JVM_OPTIONS", options.toString());
        assertThat(run(env)).contains("arg:-XX:SharedArchiveFile=" + archive);

        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(3600)));
        assertThat(run(env)).noneMatch(arg -> arg.contains("SharedArchiveFile"));
    }

    @Test
    void saysWhatIsMissing() throws Exception {
        Process process = start(Map.of("GATEWAY_JVM_OPTIONS", dir.resolve("nope").toString()));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("cannot read JVM options file", "nope");
    }

    private List<String> run(Map<String, String> env, String... arguments) throws Exception {
        Process process = start(env, arguments);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return out.lines().toList();
    }

    private Process start(Map<String, String> env, String... arguments) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString());
        builder.command().addAll(List.of(arguments));
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("GATEWAY_JVM_OPTIONS");
        builder.environment().remove("MALLOC_ARENA_MAX");
        builder.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
        builder.environment().put("GATEWAY_JAR", jar.toString());
        builder.environment().putAll(env);
        return builder.start();
    }
}
