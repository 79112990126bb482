package dev.gateway.core.compression;

import dev.gateway.config.ContentCoding;
import java.util.List;

/**
 * Picks the content coding for a response from the request's {@code Accept-Encoding} (RFC 9110
 * §12.5.3), q-values in thousandths, without splitting or copying the header.
 *
 * <ul>
 *   <li>No header, or no acceptable coding: identity (null). A client that sends no
 *       {@code Accept-Encoding} usually cannot decode anything.</li>
 *   <li>The highest q-value wins; among equal ones the server's order ({@code algorithms}).</li>
 *   <li>{@code *} stands for every coding not named; {@code q=0} refuses a coding; {@code x-gzip}
 *       is {@code gzip} (RFC 9110 §8.4.1.3).</li>
 *   <li>A coding is not chosen over an identity the client prefers ({@code identity;q=1, gzip;q=0.5}).</li>
 * </ul>
 */
public final class ContentNegotiation {

    private static final int UNSEEN = -1;
    private static final ContentCoding[] CODINGS = ContentCoding.values();

    private ContentNegotiation() {
    }

    /**
     * @param header the {@code Accept-Encoding} value, or null
     * @param offered the codings the server may use, preferred first
     * @return the coding to use, or null for identity
     */
    public static ContentCoding select(CharSequence header, List<ContentCoding> offered) {
        if (header == null || offered.isEmpty()) {
            return null;
        }
        int[] q = new int[CODINGS.length]; // by ContentCoding.ordinal()
        java.util.Arrays.fill(q, UNSEEN);
        int identity = UNSEEN;
        int any = UNSEEN;
        int length = header.length();
        int i = 0;
        while (i < length) {
            int end = indexOf(header, ',', i, length);
            int semicolon = indexOf(header, ';', i, end);
            int nameStart = skipSpace(header, i, semicolon);
            int nameEnd = trimEnd(header, nameStart, semicolon);
            int weight = semicolon < end ? weight(header, semicolon + 1, end) : 1000;
            if (weight >= 0 && nameEnd > nameStart) {
                if (is(header, nameStart, nameEnd, "identity")) {
                    identity = identity == UNSEEN ? weight : identity;
                } else if (is(header, nameStart, nameEnd, "*")) {
                    any = any == UNSEEN ? weight : any;
                } else if (is(header, nameStart, nameEnd, "x-gzip")) {
                    q[ContentCoding.GZIP.ordinal()] = Math.max(q[ContentCoding.GZIP.ordinal()], weight);
                } else {
                    for (ContentCoding coding : CODINGS) {
                        if (is(header, nameStart, nameEnd, coding.token()) && q[coding.ordinal()] == UNSEEN) {
                            q[coding.ordinal()] = weight;
                        }
                    }
                }
            }
            i = end + 1;
        }
        ContentCoding best = null;
        int bestWeight = 0;
        for (ContentCoding coding : offered) {
            int weight = q[coding.ordinal()] == UNSEEN ? Math.max(any, 0) : q[coding.ordinal()];
            if (weight > bestWeight) {
                best = coding;
                bestWeight = weight;
            }
        }
        int identityWeight = identity != UNSEEN ? identity : any != UNSEEN ? any : 0;
        return best != null && bestWeight >= identityWeight ? best : null;
    }

    /** The {@code q} parameter in thousandths, 1000 without one, -1 when malformed (RFC 9110 §12.4.2). */
    private static int weight(CharSequence s, int from, int to) {
        int i = from;
        while (i < to) {
            int next = indexOf(s, ';', i, to);
            int start = skipSpace(s, i, next);
            if (next - start >= 2 && (s.charAt(start) == 'q' || s.charAt(start) == 'Q') && s.charAt(start + 1) == '=') {
                return qvalue(s, start + 2, trimEnd(s, start + 2, next));
            }
            i = next + 1;
        }
        return 1000;
    }

    /** {@code ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}. */
    private static int qvalue(CharSequence s, int from, int to) {
        int n = to - from;
        if (n < 1 || n > 5 || s.charAt(from) != '0' && s.charAt(from) != '1') {
            return -1;
        }
        int value = (s.charAt(from) - '0') * 1000;
        if (n == 1) {
            return value;
        }
        if (s.charAt(from + 1) != '.') {
            return -1;
        }
        int scale = 100;
        for (int i = from + 2; i < to; i++, scale /= 10) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value += (c - '0') * scale;
        }
        return value > 1000 ? -1 : value;
    }

    private static boolean is(CharSequence s, int from, int to, String token) {
        if (to - from != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            if (Character.toLowerCase(s.charAt(from + i)) != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(CharSequence s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return to;
    }

    private static int skipSpace(CharSequence s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(CharSequence s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }
}
