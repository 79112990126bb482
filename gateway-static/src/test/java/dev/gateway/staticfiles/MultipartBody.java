package dev.gateway.staticfiles;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A strict reader for {@code multipart/byteranges} bodies (RFC 9110 §14.6), for assertions. */
final class MultipartBody {

    private MultipartBody() {
    }

    static String boundaryOf(String contentType) {
        String prefix = "multipart/byteranges; boundary=";
        if (!contentType.startsWith(prefix)) {
            throw new AssertionError("not multipart/byteranges: " + contentType);
        }
        return contentType.substring(prefix.length());
    }

    /** Splits the body into parts; fails unless the framing is exactly as RFC 2046 describes. */
    static List<Part> parse(byte[] body, String boundary) {
        String text = new String(body, ISO_8859_1); // byte-preserving
        List<Part> parts = new ArrayList<>();
        String delimiter = "--" + boundary;
        int at = 0;
        if (!text.startsWith(delimiter + "\r\n")) {
            throw new AssertionError("body does not start with the first delimiter");
        }
        while (true) {
            int headersStart = at + delimiter.length() + 2;
            int headersEnd = text.indexOf("\r\n\r\n", headersStart);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : text.substring(headersStart, headersEnd).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            String[] range = headers.get("content-range").replace("bytes ", "").split("[-/]");
            int length = Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
            int dataStart = headersEnd + 4;
            byte[] data = Arrays.copyOfRange(body, dataStart, dataStart + length);
            parts.add(new Part(headers, data));
            at = dataStart + length;
            if (!text.startsWith("\r\n" + delimiter, at)) {
                throw new AssertionError("part not followed by a delimiter at " + at);
            }
            at += 2;
            if (text.startsWith(delimiter + "--\r\n", at)) {
                if (at + delimiter.length() + 4 != body.length) {
                    throw new AssertionError("bytes after the close delimiter");
                }
                return parts;
            }
        }
    }

    record Part(Map<String, String> headers, byte[] data) {
    }
}
