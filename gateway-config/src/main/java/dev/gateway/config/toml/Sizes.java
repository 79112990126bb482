package dev.gateway.config.toml;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as written in the config: a whole number with an optional unit. {@code KB}, {@code MB},
 * {@code GB} are powers of 1000 and {@code KiB}, {@code MiB}, {@code GiB} powers of 1024, as in
 * IEC 80000-13; a single-letter {@code k}/{@code m} is refused because nginx users read it as 1024
 * and others as 1000. Units are matched case-insensitively.
 */
public final class Sizes {

    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;
    static final long GIB = 1024 * MIB;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([A-Za-z]*)");
    private static final Map<String, Long> UNITS = Map.of(
            "", 1L, "b", 1L,
            "kb", 1000L, "mb", 1000_000L, "gb", 1000_000_000L,
            "kib", KIB, "mib", MIB, "gib", GIB);

    private Sizes() {
    }

    /** Parses {@code "512"}, {@code "512B"}, {@code "16KiB"}, {@code "100MiB"}, {@code "1GB"}. */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (expected bytes or a number with a unit, "
                    + "e.g. \"16KiB\"; units: B, KB, MB, GB, KiB, MiB, GiB)");
        }
        Long factor = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (factor == null) {
            throw new IllegalArgumentException("unknown unit '" + m.group(2) + "' in '" + text
                    + "' (expected one of: B, KB, MB, GB, KiB, MiB, GiB)");
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    /** The shortest exact way to write the size, for messages: {@code "16KiB"}, {@code "1000"}. */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % GIB == 0) {
            return bytes / GIB + "GiB";
        }
        if (bytes != 0 && bytes % MIB == 0) {
            return bytes / MIB + "MiB";
        }
        if (bytes != 0 && bytes % KIB == 0) {
            return bytes / KIB + "KiB";
        }
        return Long.toString(bytes);
    }
}
