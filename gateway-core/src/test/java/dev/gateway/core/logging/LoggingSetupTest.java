package dev.gateway.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.gateway.config.LoggingConfig;
import dev.gateway.testkit.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code [logging]}: formats, files, rotation and the separate access log, through logback itself. */
class LoggingSetupTest {

    @TempDir
    Path dir;

    @AfterEach
    void restoreTestLogging() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.start(); // LoggingSetup.flush() stopped it, as it does when the process exits
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void jsonApplicationLogGoesToTheFileAndAccessLinesDoNot() throws IOException {
        Path app = dir.resolve("app.log");
        Path access = dir.resolve("access.log");
        LoggingSetup.apply(new LoggingConfig("info", access.toString(), LoggingConfig.AccessLogFormat.JSON,
                LoggingConfig.LogFormat.JSON, Optional.of(app.toString()), 50L << 20, 7));

        LoggerFactory.getLogger("dev.gateway.test").info("hello {}", "operator");
        LoggerFactory.getLogger("dev.gateway.test").debug("below the level");
        LoggerFactory.getLogger(AccessLog.LOGGER).info("{\"status\":200}");
        LoggingSetup.flush();

        String appLog = Files.readString(app, StandardCharsets.UTF_8);
        assertThat(appLog).contains("\"level\":\"INFO\"", "\"loggerName\":\"dev.gateway.test\"", "hello operator")
                .doesNotContain("below the level", "\"status\":200");
        assertThat(Files.readAllLines(access)).containsExactly("{\"status\":200}");
    }

    @Test
    void textFormatAndAccessLogOff() throws IOException {
        Path app = dir.resolve("app.log");
        LoggingSetup.apply(new LoggingConfig("debug", "off", LoggingConfig.AccessLogFormat.COMBINED,
                LoggingConfig.LogFormat.TEXT, Optional.of(app.toString()), 50L << 20, 7));

        LoggerFactory.getLogger("dev.gateway.test").debug("debug line");
        LoggerFactory.getLogger(AccessLog.LOGGER).info("an access line");
        LoggingSetup.flush();

        assertThat(Files.readAllLines(app)).singleElement().asString()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\S+ DEBUG \\[.*\\] dev.gateway.test - debug line");
    }

    @Test
    void applicationLogRollsOverBySizeAndKeepsMaxHistoryFiles() {
        Path app = dir.resolve("app.log");
        LoggingSetup.apply(new LoggingConfig("info", "off", LoggingConfig.AccessLogFormat.JSON,
                LoggingConfig.LogFormat.TEXT, Optional.of(app.toString()), 2048, 2));
        Logger log = LoggerFactory.getLogger("dev.gateway.test");
        String line = "x".repeat(200);

        // the size is checked about once a second: keep writing until it has rolled twice over
        Eventually.await("two rollovers", Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 50; i++) {
                log.info(line);
            }
            return Files.exists(dir.resolve("app.log.2.gz"));
        });
        for (int i = 0; i < 2000; i++) {
            log.info(line);
        }
        LoggingSetup.flush();

        assertThat(dir.resolve("app.log.1.gz")).exists();
        assertThat(dir.resolve("app.log.3.gz")).as("max_history = 2").doesNotExist();
    }
}
