package dev.gateway.staticfiles;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code Range: bytes=...} header (RFC 9110 §14.1.2) against a representation length.
 *
 * <p>Outcomes follow §14.2: a header that does not parse, or names another unit, is ignored
 * (the whole representation is sent); one in which no range overlaps the representation is
 * unsatisfiable (416); otherwise the satisfiable ranges are served, in the order asked.
 *
 * <p>Abuse limits (§14.1.1 lets a server ignore or reject such requests): more than
 * {@value #MAX_RANGES} ranges, or several ranges adding up to more bytes than the whole
 * representation (overlap, the "Apache killer" pattern), make the header ignored, so the
 * response is never larger than a plain 200 plus multipart framing.
 */
final class ByteRanges {

    static final int MAX_RANGES = 16;

    static final Result FULL = new Result(Kind.FULL, List.of());
    private static final Result UNSATISFIABLE = new Result(Kind.UNSATISFIABLE, List.of());

    private ByteRanges() {
    }

    static Result parse(String header, long length) {
        int equals = header.indexOf('=');
        if (equals < 0 || !header.substring(0, equals).trim().equalsIgnoreCase("bytes")) {
            return FULL;
        }
        List<ByteRange> ranges = new ArrayList<>();
        int specs = 0;
        long total = 0;
        for (String element : header.substring(equals + 1).split(",", -1)) {
            String spec = element.trim();
            if (spec.isEmpty()) {
                continue; // empty list elements are allowed, RFC 9110 §5.6.1
            }
            if (++specs > MAX_RANGES) {
                return FULL;
            }
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return FULL;
            }
            long first = digits(spec, 0, dash);
            long last = digits(spec, dash + 1, spec.length());
            ByteRange range;
            if (dash == 0) {
                if (last < 0) {
                    return FULL;
                }
                if (last == 0 || length == 0) {
                    continue; // a zero-length suffix, or nothing to take it from: unsatisfiable
                }
                range = new ByteRange(Math.max(0, length - last), length - 1);
            } else {
                boolean open = dash == spec.length() - 1;
                if (first < 0 || !open && (last < 0 || last < first)) {
                    return FULL;
                }
                if (first >= length) {
                    continue; // starts past the end: unsatisfiable
                }
                range = new ByteRange(first, open ? length - 1 : Math.min(last, length - 1));
            }
            ranges.add(range);
            total += range.length();
        }
        if (specs == 0) {
            return FULL;
        }
        if (ranges.isEmpty()) {
            return UNSATISFIABLE;
        }
        if (ranges.size() > 1 && total > length) {
            return FULL;
        }
        return new Result(Kind.PARTIAL, List.copyOf(ranges));
    }

    /**
     * The decimal number in {@code s[from, to)}, saturating at {@link Long#MAX_VALUE} (a huge
     * position is valid syntax, just unsatisfiable), or -1 when empty or not all digits.
     */
    private static long digits(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (c - '0');
        }
        return value;
    }

    enum Kind {
        /** Ignore the header: send 200 with the whole representation. */
        FULL,
        /** 206 with {@link Result#ranges()}. */
        PARTIAL,
        /** 416 with {@code Content-Range: bytes * /length}. */
        UNSATISFIABLE
    }

    record Result(Kind kind, List<ByteRange> ranges) {
    }

    /** An inclusive byte range within the representation. */
    record ByteRange(long first, long last) {

        long length() {
            return last - first + 1;
        }

        String contentRange(long completeLength) {
            return "bytes " + first + '-' + last + '/' + completeLength;
        }
    }
}
