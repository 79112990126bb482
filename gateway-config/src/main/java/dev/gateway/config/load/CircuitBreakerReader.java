package dev.gateway.config.load;

import dev.gateway.config.CircuitBreakerConfig;
import dev.gateway.config.toml.Durations;
import dev.gateway.config.toml.TableReader;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code [upstreams.NAME.circuit_breaker]}. Every pool has a breaker per target; the table
 * only tunes it.
 *
 * <p>DEFAULTS:
 * <pre>
 * consecutive_failures  5               &gt;= 1
 * failure_rate          50              percent, 1-100
 * window                20              calls, 1-10000
 * minimum_calls         10              1-window (default: window when that is smaller)
 * slow_call_duration    5s
 * slow_call_rate        100             percent, 1-100 (100: only when every call is slow)
 * open_duration         10s             doubles on each re-trip ...
 * max_open_duration     5m              ... up to this; &gt;= open_duration
 * half_open_requests    3               &gt;= 1
 * max_ejected_percent   50              0-100
 * failure_statuses      [502, 503, 504] each 100-599
 * </pre>
 */
final class CircuitBreakerReader {

    static final Set<String> KEYS = Set.of("consecutive_failures", "failure_rate", "window", "minimum_calls",
            "slow_call_duration", "slow_call_rate", "open_duration", "max_open_duration", "half_open_requests",
            "max_ejected_percent", "failure_statuses");

    private static final int CONSECUTIVE_FAILURES = 5;
    private static final int FAILURE_RATE = 50;
    private static final int WINDOW = 20;
    private static final int MINIMUM_CALLS = 10;
    private static final Duration SLOW_CALL_DURATION = Duration.ofSeconds(5);
    private static final int SLOW_CALL_RATE = 100;
    private static final Duration OPEN_DURATION = Duration.ofSeconds(10);
    private static final Duration MAX_OPEN_DURATION = Duration.ofMinutes(5);
    private static final int HALF_OPEN_REQUESTS = 3;
    private static final int MAX_EJECTED_PERCENT = 50;
    private static final List<Integer> FAILURE_STATUSES = List.of(502, 503, 504);

    private CircuitBreakerReader() {
    }

    static CircuitBreakerConfig defaults() {
        return new CircuitBreakerConfig(CONSECUTIVE_FAILURES, FAILURE_RATE, WINDOW, MINIMUM_CALLS, SLOW_CALL_DURATION,
                SLOW_CALL_RATE, OPEN_DURATION, MAX_OPEN_DURATION, HALF_OPEN_REQUESTS, MAX_EJECTED_PERCENT,
                Set.copyOf(FAILURE_STATUSES));
    }

    static CircuitBreakerConfig read(TableReader breaker) {
        int window = breaker.integer("window", WINDOW, 1, 10_000);
        int minimumCalls = breaker.integer("minimum_calls", Math.min(MINIMUM_CALLS, window), 1, Integer.MAX_VALUE);
        if (minimumCalls > window) {
            breaker.problem("minimum_calls", minimumCalls + " is more than window " + window
                    + " (expected: 1-" + window + ")");
        }
        Duration openDuration = breaker.duration("open_duration", OPEN_DURATION);
        Duration maxOpenDuration = breaker.duration("max_open_duration", MAX_OPEN_DURATION);
        if (maxOpenDuration.compareTo(openDuration) < 0) {
            breaker.problem("max_open_duration", Durations.format(maxOpenDuration) + " is shorter than open_duration "
                    + Durations.format(openDuration) + " (expected: max_open_duration >= open_duration)");
        }
        List<Integer> statuses = breaker.list("failure_statuses", FAILURE_STATUSES, v -> v.integer(100, 599));
        return new CircuitBreakerConfig(
                breaker.integer("consecutive_failures", CONSECUTIVE_FAILURES, 1, Integer.MAX_VALUE),
                breaker.integer("failure_rate", FAILURE_RATE, 1, 100),
                window,
                minimumCalls,
                breaker.duration("slow_call_duration", SLOW_CALL_DURATION),
                breaker.integer("slow_call_rate", SLOW_CALL_RATE, 1, 100),
                openDuration,
                maxOpenDuration,
                breaker.integer("half_open_requests", HALF_OPEN_REQUESTS, 1, Integer.MAX_VALUE),
                breaker.integer("max_ejected_percent", MAX_EJECTED_PERCENT, 0, 100),
                new LinkedHashSet<>(statuses));
    }
}
