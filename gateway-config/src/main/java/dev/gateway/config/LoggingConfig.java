package dev.gateway.config;

import java.util.Optional;

/**
 * {@code [logging]}.
 *
 * @param level root level of the application log (trace, debug, info, warn, error)
 * @param accessLog "stdout", "off", or a file path (absolute, resolved against the config file's directory)
 * @param file application log file; empty means console
 */
public record LoggingConfig(
        String level,
        String accessLog,
        AccessLogFormat accessFormat,
        LogFormat format,
        Optional<String> file,
        long maxFileSize,
        int maxHistory) {

    /** Format of access-log lines. */
    public enum AccessLogFormat { JSON, COMBINED }

    /** Format of application-log lines. */
    public enum LogFormat { TEXT, JSON }

    public boolean accessLogEnabled() {
        return !"off".equals(accessLog);
    }
}
