package dev.gateway.core.tracing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random identifiers as lower-case hex: 128-bit trace ids and 64-bit span ids, never all zero (an
 * all-zero id is invalid in W3C Trace Context). Not secrets, so a fast non-cryptographic source is
 * fine; the request ids of {@code X-Request-Id} are made the same way.
 */
public final class TraceIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceIds() {
    }

    /** 128 random bits as 32 hex digits. */
    public static String randomTraceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong();
        if (high == 0 && low == 0) {
            low = 1;
        }
        return hex(high, low);
    }

    /** 64 random bits, not zero, as 16 hex digits. */
    static String randomSpanId() {
        long bits = ThreadLocalRandom.current().nextLong();
        char[] out = new char[16];
        fill(out, 0, bits == 0 ? 1 : bits);
        return new String(out);
    }

    static String hex(long high, long low) {
        char[] out = new char[32];
        fill(out, 0, high);
        fill(out, 16, low);
        return new String(out);
    }

    private static void fill(char[] out, int offset, long bits) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
    }
}
