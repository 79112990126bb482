package dev.gateway.config.load;

import dev.gateway.config.LoggingConfig;
import dev.gateway.config.toml.Sizes;
import dev.gateway.config.toml.TableReader;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code [logging]}.
 *
 * <p>DEFAULTS:
 * <pre>
 * level          info       trace | debug | info | warn | error
 * access_log     "stdout"   "stdout" | "off" | a file path (relative: from the config file's directory)
 * access_format  json       json | combined
 * format         text       text | json (application log)
 * file           ""         empty = console; relative: from the config file's directory
 * max_file_size  50MiB      &gt; 0, rolls over beyond
 * max_history    7          rolled files kept (file.1.gz ... file.N.gz); 1-20, logback's fixed-window limit
 * </pre>
 */
final class LoggingReader {

    static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");
    static final long DEFAULT_MAX_FILE_SIZE = 50 * Sizes.MIB;
    static final int DEFAULT_MAX_HISTORY = 7;
    static final Set<String> KEYS = Set.of("level", "access_log", "access_format", "format", "file", "max_file_size",
            "max_history");

    private LoggingReader() {
    }

    static LoggingConfig read(TableReader logging) {
        String accessLog = logging.get("access_log", "stdout", v -> {
            String value = v.string();
            if (value.isEmpty()) {
                throw new IllegalArgumentException("empty access_log (expected \"stdout\", \"off\" or a file path)");
            }
            return value.equals("stdout") || value.equals("off") ? value : v.ctx().resolve(value).toString();
        });
        Optional<String> file = logging.get("file", Optional.empty(), v -> {
            String value = v.string();
            return value.isEmpty() ? Optional.empty() : Optional.of(v.ctx().resolve(value).toString());
        });
        return new LoggingConfig(
                logging.choice("level", "info", LEVELS),
                accessLog,
                logging.choice("access_format", LoggingConfig.AccessLogFormat.JSON),
                logging.choice("format", LoggingConfig.LogFormat.TEXT),
                file,
                logging.size("max_file_size", DEFAULT_MAX_FILE_SIZE, 1, Long.MAX_VALUE),
                logging.integer("max_history", DEFAULT_MAX_HISTORY, 1, 20));
    }
}
