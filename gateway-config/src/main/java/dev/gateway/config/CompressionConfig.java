package dev.gateway.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code [compression]}: how responses are compressed on the routes that compress.
 *
 * @param enabled compress on every route (and the default site) unless a route says {@code compress = false}
 * @param algorithms the codings offered, the server's preference first (ties of the client's q-values)
 * @param levels the encoder level of each coding
 * @param minLength bodies whose known length is below this are sent as they are
 * @param types media types worth compressing: {@code type/subtype}, {@code type/*} or {@code type/*+suffix}
 * @param maxConcurrent responses compressed at once, gateway-wide; beyond it responses go out uncompressed
 */
public record CompressionConfig(boolean enabled, List<ContentCoding> algorithms, Map<ContentCoding, Integer> levels,
                                long minLength, List<String> types, int maxConcurrent) {

    /** Without {@code [compression]}: off unless a route says {@code compress = true}. */
    public static final CompressionConfig DEFAULTS = new CompressionConfig(false,
            List.of(ContentCoding.ZSTD, ContentCoding.BR, ContentCoding.GZIP), Map.of(), 1024,
            List.of("text/*", "application/json", "application/*+json", "application/javascript",
                    "application/x-javascript", "application/xml", "application/*+xml", "application/wasm",
                    "application/x-ndjson", "image/svg+xml", "image/x-icon", "font/ttf", "font/otf"), 512);

    public CompressionConfig {
        algorithms = List.copyOf(algorithms);
        EnumMap<ContentCoding, Integer> copy = new EnumMap<>(ContentCoding.class);
        copy.putAll(levels);
        levels = Collections.unmodifiableMap(copy);
        types = List.copyOf(types);
    }

    /** The level of {@code coding}: configured, else its default. */
    public int level(ContentCoding coding) {
        return levels.getOrDefault(coding, coding.defaultLevel());
    }
}
