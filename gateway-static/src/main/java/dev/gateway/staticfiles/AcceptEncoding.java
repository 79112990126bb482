package dev.gateway.staticfiles;

import java.util.Locale;

/**
 * Picks the content coding of a precompressed sibling from a request's {@code Accept-Encoding}
 * (RFC 9110 §12.5.3), with q-values in thousandths.
 *
 * <p>Choices the RFC leaves to the server, made like nginx's {@code gzip_static} and Caddy's
 * {@code precompressed}:
 * <ul>
 *   <li>No header: identity. The RFC would allow any coding, but clients that send none usually
 *       cannot decode one.</li>
 *   <li>{@code br} beats {@code gzip} at equal weight (it is smaller), and a coding beats an
 *       identity that is only implicitly acceptable or explicitly weighted no higher.</li>
 *   <li>When nothing available is acceptable, not even identity ({@code identity;q=0}), the
 *       identity file is sent anyway rather than a 406: a body the client may not like beats an
 *       error page it certainly cannot use.</li>
 * </ul>
 */
final class AcceptEncoding {

    /** {@code identity} not named and no {@code *}: acceptable, below anything named. */
    private static final int IMPLICIT = -1;

    private AcceptEncoding() {
    }

    /**
     * @param header the Accept-Encoding value, or {@code null} when absent
     * @return the coding to serve: {@link Coding#BR}, {@link Coding#GZIP} or {@link Coding#IDENTITY}
     */
    static Coding select(String header, boolean brAvailable, boolean gzipAvailable) {
        if (header == null || !brAvailable && !gzipAvailable) {
            return Coding.IDENTITY;
        }
        int br = -1;
        int gzip = -1;
        int identity = -1;
        int any = -1;
        for (String element : header.split(",")) {
            int semicolon = element.indexOf(';');
            String coding = (semicolon < 0 ? element : element.substring(0, semicolon))
                    .trim().toLowerCase(Locale.ROOT);
            int q = semicolon < 0 ? 1000 : weight(element.substring(semicolon + 1));
            if (q < 0) {
                continue;
            }
            switch (coding) {
                case "br" -> br = br < 0 ? q : br;
                case "gzip", "x-gzip" -> gzip = Math.max(gzip, q);
                case "identity" -> identity = identity < 0 ? q : identity;
                case "*" -> any = any < 0 ? q : any;
                default -> {
                }
            }
        }
        br = br < 0 ? Math.max(any, 0) : br;
        gzip = gzip < 0 ? Math.max(any, 0) : gzip;
        identity = identity < 0 ? (any < 0 ? IMPLICIT : any) : identity;

        Coding best = Coding.IDENTITY;
        int bestWeight = 0;
        if (brAvailable && br > bestWeight) {
            best = Coding.BR;
            bestWeight = br;
        }
        if (gzipAvailable && gzip > bestWeight) {
            best = Coding.GZIP;
            bestWeight = gzip;
        }
        return best != Coding.IDENTITY && bestWeight >= identity ? best : Coding.IDENTITY;
    }

    /**
     * Parses the parameters after a coding; returns the {@code q} weight in thousandths, 1000 when
     * there is none, or -1 when it is malformed (the element is then ignored).
     */
    private static int weight(String parameters) {
        for (String parameter : parameters.split(";")) {
            String p = parameter.trim();
            if (p.length() < 2 || Character.toLowerCase(p.charAt(0)) != 'q' || p.charAt(1) != '=') {
                continue;
            }
            return qvalue(p.substring(2).trim());
        }
        return 1000;
    }

    /** {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}, RFC 9110 §12.4.2. */
    private static int qvalue(String s) {
        if (s.isEmpty() || s.length() > 5 || s.charAt(0) != '0' && s.charAt(0) != '1') {
            return -1;
        }
        int value = (s.charAt(0) - '0') * 1000;
        if (s.length() == 1) {
            return value;
        }
        if (s.charAt(1) != '.') {
            return -1;
        }
        int scale = 100;
        for (int i = 2; i < s.length(); i++, scale /= 10) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value += (c - '0') * scale;
        }
        return value > 1000 ? -1 : value;
    }

    /** The codings a precompressed sibling can have, with its file suffix. */
    enum Coding {
        IDENTITY(null, null),
        BR("br", ".br"),
        GZIP("gzip", ".gz");

        final String token;
        final String suffix;

        Coding(String token, String suffix) {
            this.token = token;
            this.suffix = suffix;
        }
    }
}
