package dev.gateway.core.tracing;

/**
 * Reads a {@code traceparent} value as W3C Trace Context §3.2 defines it:
 * {@code version "-" trace-id "-" parent-id "-" trace-flags}, all lower-case hex. Version {@code ff}
 * is invalid; version {@code 00} is exactly 55 characters; a later version may carry more after a
 * {@code -}, which is ignored (§4.3). All-zero ids are invalid. Anything else is null: the gateway
 * then starts a trace of its own, as the specification asks.
 */
final class TraceParent {

    static final int LENGTH = 55;

    /** The caller's trace id, span id and sampled flag. */
    record Parent(String traceId, String spanId, boolean sampled) {
    }

    private TraceParent() {
    }

    static Parent parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.length() < LENGTH || !isHex(v, 0, 2) || v.startsWith("ff")) {
            return null;
        }
        boolean version00 = v.startsWith("00");
        if (version00 ? v.length() != LENGTH : v.length() > LENGTH && v.charAt(LENGTH) != '-') {
            return null;
        }
        if (v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-'
                || !isHex(v, 3, 35) || !isHex(v, 36, 52) || !isHex(v, 53, 55)
                || isZero(v, 3, 35) || isZero(v, 36, 52)) {
            return null;
        }
        int flags = Character.digit(v.charAt(54), 16);
        return new Parent(v.substring(3, 35), v.substring(36, 52), (flags & 1) != 0);
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
