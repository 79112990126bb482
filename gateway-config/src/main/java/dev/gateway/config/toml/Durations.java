package dev.gateway.config.toml;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the config: a number with a unit, {@code ms}, {@code s}, {@code m} or
 * {@code h}, optionally compound ({@code "1m30s"}) and fractional ({@code "1.5s"}). A bare number is
 * refused rather than guessed: {@code timeout = "30"} could mean seconds or milliseconds.
 */
public final class Durations {

    static final String UNITS = "ms, s, m, h";

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /** Parses {@code "250ms"}, {@code "5s"}, {@code "2m"}, {@code "1h"}, {@code "1m30s"}. */
    static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration (expected a number with a unit, e.g. \"5s\")");
        }
        if (NUMBER.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + text + "' has no unit (expected e.g. \"" + s + "s\"; units: "
                    + UNITS + ")");
        }
        Matcher part = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!part.find(at) || part.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (expected e.g. \"5s\", \"250ms\" "
                        + "or \"1m30s\"; units: " + UNITS + ")");
            }
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(nanosPer(part.group(2)))));
            at = part.end();
        }
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** The shortest way to write the duration in config syntax, for messages: {@code "90s"}, {@code "250ms"}. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos % 1_000_000 != 0) {
            return nanos + "ns";
        }
        long millis = nanos / 1_000_000;
        if (millis == 0 || millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static long nanosPer(String unit) {
        switch (unit) {
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            default:
                return 3_600_000_000_000L;
        }
    }
}
