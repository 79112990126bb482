package dev.gateway.staticfiles;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path decoded exactly once and normalised into file-name segments, or the reason it
 * is refused. Pure string work, no file system: {@link RequestPathResolver} does that.
 *
 * <p>Why each rule exists (the classic static-server holes):
 * <ul>
 *   <li>Percent-decoding happens once (RFC 3986 §2.4); decoding twice turns {@code %252e} into
 *       {@code .}. A malformed escape or invalid UTF-8 is a malformed request: 400.</li>
 *   <li>NUL and other control characters truncate or confuse file-system calls and log lines: 400.</li>
 *   <li>An encoded slash ({@code %2F}) or any backslash would let one segment act as several
 *       after decoding (or on another OS): 404, the file cannot exist under that name.</li>
 *   <li>Dot-segments are removed as in RFC 3986 §5.2.4, but one that would climb above the site
 *       root is refused (404) instead of being clamped, so {@code /../etc/passwd} never maps to a
 *       file.</li>
 *   <li>Any other segment starting with a dot ({@code .env}, {@code .git}) is hidden: 404.</li>
 * </ul>
 *
 * @param segments file-name segments below the site root, none empty, none starting with a dot
 * @param directoryForm whether the path ends with a slash (or a dot-segment), i.e. names a directory
 * @param rejection the status to answer instead, or {@code null} when the path is usable
 */
record SitePath(List<String> segments, boolean directoryForm, HttpResponseStatus rejection) {

    private static final SitePath BAD_REQUEST = new SitePath(List.of(), false, HttpResponseStatus.BAD_REQUEST);
    private static final SitePath NOT_FOUND = new SitePath(List.of(), false, HttpResponseStatus.NOT_FOUND);

    /**
     * @param raw the still percent-encoded path below the site, {@code ""} or starting with {@code /}
     */
    static SitePath parse(String raw) {
        String decoded;
        try {
            decoded = decode(raw);
        } catch (Refused e) {
            return e.status == HttpResponseStatus.BAD_REQUEST ? BAD_REQUEST : NOT_FOUND;
        }
        List<String> segments = new ArrayList<>();
        boolean directoryForm = false;
        for (String segment : decoded.split("/", -1)) {
            directoryForm = segment.isEmpty() || segment.equals(".") || segment.equals("..");
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return NOT_FOUND;
                }
                segments.remove(segments.size() - 1);
                continue;
            }
            if (segment.charAt(0) == '.') {
                return NOT_FOUND;
            }
            segments.add(segment);
        }
        if (decoded.isEmpty()) {
            directoryForm = false;
        }
        return new SitePath(List.copyOf(segments), directoryForm, null);
    }

    /** The last named segment, or {@code ""} for the site root. */
    String lastSegment() {
        return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
    }

    /** Percent-decodes {@code raw} as UTF-8, refusing what {@link SitePath} documents. */
    private static String decode(String raw) throws Refused {
        byte[] bytes = new byte[raw.length()];
        int length = 0;
        boolean plain = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int b;
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new Refused(HttpResponseStatus.BAD_REQUEST);
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw new Refused(HttpResponseStatus.BAD_REQUEST);
                }
                b = high << 4 | low;
                if (b == '/') {
                    throw new Refused(HttpResponseStatus.NOT_FOUND);
                }
                i += 2;
                plain = false;
            } else if (c > 0xFF) {
                throw new Refused(HttpResponseStatus.BAD_REQUEST);
            } else {
                b = c;
                plain &= c < 0x80;
            }
            if (b == '\\') {
                throw new Refused(HttpResponseStatus.NOT_FOUND);
            }
            if (b < 0x20 || b == 0x7F) {
                throw new Refused(HttpResponseStatus.BAD_REQUEST);
            }
            bytes[length++] = (byte) b;
        }
        if (plain) {
            return raw;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Refused(HttpResponseStatus.BAD_REQUEST);
        }
    }

    /** Stackless: a refused path is an expected outcome, not a bug to trace. */
    private static final class Refused extends Exception {

        final HttpResponseStatus status;

        Refused(HttpResponseStatus status) {
            super(status.toString(), null, false, false);
            this.status = status;
        }
    }
}
