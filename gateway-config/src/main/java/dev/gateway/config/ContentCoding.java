package dev.gateway.config;

/**
 * The content codings the gateway compresses responses with (RFC 9110 §8.4.1), each with the token
 * a client names it by in {@code Accept-Encoding} and the range of levels its encoder takes.
 */
public enum ContentCoding {
    /** Zstandard, RFC 8878 */
    ZSTD("zstd", 1, 22, 3),
    /** Brotli, RFC 7932 */
    BR("br", 0, 11, 4),
    /** gzip, RFC 1952 */
    GZIP("gzip", 1, 9, 6);

    private final String token;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    ContentCoding(String token, int minLevel, int maxLevel, int defaultLevel) {
        this.token = token;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    /** The content-coding token: {@code zstd}, {@code br} or {@code gzip}. */
    public String token() {
        return token;
    }

    public int minLevel() {
        return minLevel;
    }

    public int maxLevel() {
        return maxLevel;
    }

    public int defaultLevel() {
        return defaultLevel;
    }
}
