package dev.gateway.staticfiles;

import dev.gateway.staticfiles.ByteRanges.ByteRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bytes of a response body as file slices with optional framing around them, so that the
 * exact Content-Length is known before anything is written and the file data itself can go out
 * zero-copy. A plain or single-range body is one slice; a {@code multipart/byteranges} body
 * (RFC 9110 §14.6) is one slice per range, each preceded by its part header, then the closing
 * delimiter.
 *
 * @param segments the slices in order
 * @param epilogue bytes after the last slice (the multipart close delimiter), possibly empty
 * @param contentLength the sum of everything: the Content-Length header value
 */
record BodyPlan(List<Segment> segments, byte[] epilogue, long contentLength) {

    private static final byte[] NONE = new byte[0];

    static BodyPlan slice(long position, long length) {
        return new BodyPlan(List.of(new Segment(NONE, position, length)), NONE, length);
    }

    /**
     * @param boundary the multipart boundary, also to be named in the Content-Type
     * @param partType the Content-Type of every part: the representation's own
     */
    static BodyPlan multipart(List<ByteRange> ranges, long completeLength, String partType, String boundary) {
        List<Segment> segments = new ArrayList<>(ranges.size());
        long total = 0;
        for (ByteRange range : ranges) {
            String header = (segments.isEmpty() ? "" : "\r\n") + "--" + boundary + "\r\n"
                    + "Content-Type: " + partType + "\r\n"
                    + "Content-Range: " + range.contentRange(completeLength) + "\r\n\r\n";
            byte[] preamble = header.getBytes(StandardCharsets.US_ASCII);
            segments.add(new Segment(preamble, range.first(), range.length()));
            total += preamble.length + range.length();
        }
        byte[] epilogue = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        return new BodyPlan(List.copyOf(segments), epilogue, total + epilogue.length);
    }

    /**
     * A random boundary: 30 hex digits are as unlikely to occur in a file as Go's
     * {@code mime/multipart} boundaries, and a boundary is only a delimiter, not a secret.
     */
    static String newBoundary() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("%015x%015x", random.nextLong() >>> 4, random.nextLong() >>> 4);
    }

    /** Framing bytes followed by {@code length} bytes of the file from {@code position}. */
    record Segment(byte[] preamble, long position, long length) {
    }
}
