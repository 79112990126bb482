package dev.gateway.config;

import java.util.OptionalInt;

/**
 * One thing wrong with a configuration file.
 *
 * @param keyPath where the problem is, e.g. {@code server.max_body_size}, {@code routes[2].targets[0]}
 *                or {@code upstreams.api.health_check.interval}; empty when it concerns the whole file
 * @param line 1-based line in the file, when it could be found
 * @param message what is wrong, for an operator to read
 */
public record ConfigProblem(String keyPath, OptionalInt line, String message) {

    /** {@code "line 12: routes[2].targets[0]: <message>"}, or without the parts that are unknown. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (line.isPresent()) {
            text.append("line ").append(line.getAsInt()).append(": ");
        }
        if (!keyPath.isEmpty()) {
            text.append(keyPath).append(": ");
        }
        return text.append(message).toString();
    }
}
