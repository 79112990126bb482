package dev.gateway.config.load;

import dev.gateway.config.CompressionConfig;
import dev.gateway.config.ContentCoding;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.DidYouMean;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.TableReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code [compression]}.
 *
 * <p>DEFAULTS:
 * <pre>
 * enabled         false                  true: every route and the default site compress (a route opts out with compress = false)
 * algorithms      ["zstd", "br", "gzip"] the server's preference among codings the client weighs equally
 * level           { zstd = 3, br = 4, gzip = 6 }   zstd 1-22, br 0-11, gzip 1-9
 * min_length      "1KiB"                 bodies of a known smaller length are not compressed
 * types           text/*, JSON, JS, XML, SVG, wasm (DEFAULT_TYPES)
 * max_concurrent  512                    responses compressed at once; more go out uncompressed
 * </pre>
 */
final class CompressionReader {

    static final Set<String> KEYS = Set.of("enabled", "algorithms", "level", "min_length", "types", "max_concurrent");
    static final CompressionConfig DEFAULTS = CompressionConfig.DEFAULTS;
    static final List<ContentCoding> DEFAULT_ALGORITHMS = DEFAULTS.algorithms();
    static final long DEFAULT_MIN_LENGTH = DEFAULTS.minLength();
    static final int DEFAULT_MAX_CONCURRENT = DEFAULTS.maxConcurrent();
    static final List<String> DEFAULT_TYPES = DEFAULTS.types();

    private static final List<String> CODING_NAMES = Arrays.stream(ContentCoding.values()).map(ContentCoding::token)
            .collect(Collectors.toList());

    private CompressionReader() {
    }

    static CompressionConfig read(TableReader table) {
        if (!table.present()) {
            return DEFAULTS;
        }
        boolean enabled = table.bool("enabled", false);
        List<ContentCoding> algorithms = table.get("algorithms", DEFAULT_ALGORITHMS, CompressionReader::algorithms);
        Map<ContentCoding, Integer> levels = levels(table.table("level", null));
        long minLength = table.size("min_length", DEFAULT_MIN_LENGTH, 0, Long.MAX_VALUE);
        List<String> types = table.get("types", DEFAULT_TYPES, CompressionReader::types);
        int maxConcurrent = table.integer("max_concurrent", DEFAULT_MAX_CONCURRENT, 1, 1_000_000);
        return new CompressionConfig(enabled, algorithms, levels, minLength, types, maxConcurrent);
    }

    private static List<ContentCoding> algorithms(ConfigValue value) {
        List<ConfigValue> elements = value.elements();
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("empty list (expected some of: " + String.join(", ", CODING_NAMES)
                    + "; to stop compressing, set enabled = false or compress = false)");
        }
        List<ContentCoding> codings = new ArrayList<>();
        for (ConfigValue element : elements) {
            ContentCoding coding = element.read(CompressionReader::coding);
            if (coding != null && codings.contains(coding)) {
                element.ctx().problem(element.path(), "'" + coding.token() + "' is listed twice");
            } else if (coding != null) {
                codings.add(coding);
            }
        }
        return codings;
    }

    private static ContentCoding coding(ConfigValue value) {
        String name = value.choice(CODING_NAMES);
        return ContentCoding.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private static Map<ContentCoding, Integer> levels(TableReader table) {
        Map<ContentCoding, Integer> levels = new EnumMap<>(ContentCoding.class);
        for (String key : table.keys()) {
            if (!CODING_NAMES.contains(key)) {
                table.problem(key, "unknown coding '" + key + "'" + DidYouMean.hint(key, CODING_NAMES)
                        + " (expected one of: " + String.join(", ", CODING_NAMES) + ")");
                continue;
            }
            ContentCoding coding = ContentCoding.valueOf(key.toUpperCase(Locale.ROOT));
            levels.put(coding, table.integer(key, coding.defaultLevel(), coding.minLevel(), coding.maxLevel()));
        }
        return levels;
    }

    private static List<String> types(ConfigValue value) {
        List<ConfigValue> elements = value.elements();
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("empty list (remove the key for the defaults)");
        }
        return elements.stream().map(e -> e.read(CompressionReader::mediaRange)).filter(t -> t != null)
                .collect(Collectors.toList());
    }

    /** {@code type/subtype}, {@code type/*} or {@code type/*+suffix} (RFC 6838 §4.2.8 structured suffixes). */
    private static String mediaRange(ConfigValue value) {
        String text = value.string().trim().toLowerCase(Locale.ROOT);
        int slash = text.indexOf('/');
        String type = slash < 0 ? "" : text.substring(0, slash);
        String subtype = slash < 0 ? "" : text.substring(slash + 1);
        boolean valid = HttpSyntax.isToken(type) && !type.equals("*")
                && (subtype.equals("*") || subtype.startsWith("*+") && HttpSyntax.isToken(subtype.substring(2))
                || HttpSyntax.isToken(subtype) && !subtype.contains("*"));
        if (!valid) {
            throw new IllegalArgumentException("'" + value.string() + "' is not a media type (expected e.g. "
                    + "\"text/html\", \"text/*\" or \"application/*+json\")");
        }
        return text;
    }
}
