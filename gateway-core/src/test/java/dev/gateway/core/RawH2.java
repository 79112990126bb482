package dev.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/2 client that writes frames by hand over a plain socket (prior knowledge): for the frame
 * sequences a well-behaved client would never send. Header blocks are HPACK-encoded with Netty's
 * encoder; everything else is written byte by byte as RFC 9113 §4 and §6 lay it out.
 */
final class RawH2 implements Closeable {

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;
    static final int ACK = 0x1;

    /** One frame as read. */
    record Frame(int type, int flags, int stream, byte[] payload) {
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }

        int setting(int id) {
            for (int i = 0; i + 6 <= payload.length; i += 6) {
                if ((((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff)) == id) {
                    return ((payload[i + 2] & 0xff) << 24) | ((payload[i + 3] & 0xff) << 16)
                            | ((payload[i + 4] & 0xff) << 8) | (payload[i + 5] & 0xff);
                }
            }
            return -1;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

    RawH2(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true); // a frame written in two parts must not wait for Nagle's algorithm
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The client preface and a SETTINGS frame with {@code settings} as (id, value) pairs. */
    RawH2 preface(int... settings) throws IOException {
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        byte[] bytes = new byte[preface.readableBytes()];
        preface.readBytes(bytes);
        preface.release();
        out.write(bytes);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < settings.length; i += 2) {
            payload.write(settings[i] >>> 8);
            payload.write(settings[i]);
            writeInt(payload, settings[i + 1]);
        }
        frame(SETTINGS, 0, 0, payload.toByteArray());
        return this;
    }

    /** A header block for a request: pseudo-headers first, then {@code extra} as name, value pairs. */
    byte[] block(String method, String path, String... extra) throws Http2Exception {
        Http2Headers headers = new DefaultHttp2Headers().method(method).path(path).scheme("http").authority("gateway.test");
        for (int i = 0; i < extra.length; i += 2) {
            headers.add(extra[i], extra[i + 1]);
        }
        return encode(headers);
    }

    /** A header block of trailers: {@code fields} as name, value pairs, no pseudo-headers. */
    byte[] trailers(String... fields) throws Http2Exception {
        Http2Headers headers = new DefaultHttp2Headers();
        for (int i = 0; i < fields.length; i += 2) {
            headers.add(fields[i], fields[i + 1]);
        }
        return encode(headers);
    }

    private byte[] encode(Http2Headers headers) throws Http2Exception {
        ByteBuf buf = Unpooled.buffer();
        try {
            encoder.encodeHeaders(0, headers, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    RawH2 headers(int stream, byte[] block, boolean endStream) throws IOException {
        return frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block);
    }

    RawH2 data(int stream, byte[] bytes, boolean endStream) throws IOException {
        return frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
    }

    RawH2 rst(int stream, int errorCode) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        writeInt(payload, errorCode);
        return frame(RST_STREAM, 0, stream, payload.toByteArray());
    }

    RawH2 windowUpdate(int stream, int increment) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        writeInt(payload, increment);
        return frame(WINDOW_UPDATE, 0, stream, payload.toByteArray());
    }

    RawH2 ping() throws IOException {
        return frame(PING, 0, 0, new byte[8]);
    }

    RawH2 frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
            (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(head);
        out.write(payload);
        return this;
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The next frame, or null when the server closed the connection. */
    Frame read() throws IOException {
        try {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(type, flags, stream, payload);
        } catch (EOFException | java.net.SocketException e) {
            return null;
        }
    }

    /** Reads until a frame of {@code type} on {@code stream} (any stream when negative), or null at EOF. */
    Frame await(int type, int stream) throws IOException {
        for (Frame frame = read(); frame != null; frame = read()) {
            if (frame.type == type && (stream < 0 || frame.stream == stream)) {
                return frame;
            }
        }
        return null;
    }

    /** The response body of {@code stream} as text, reading frames until its END_STREAM. */
    String body(int stream) throws IOException {
        StringBuilder body = new StringBuilder();
        for (Frame frame = read(); frame != null; frame = read()) {
            if (frame.stream != stream) {
                continue;
            }
            if (frame.type == DATA) {
                body.append(new String(frame.payload, StandardCharsets.ISO_8859_1));
            }
            if (frame.type == RST_STREAM) {
                throw new IOException("stream " + stream + " reset, error " + frame.errorCode());
            }
            if ((frame.type == DATA || frame.type == HEADERS) && (frame.flags & END_STREAM) != 0) {
                return body.toString();
            }
        }
        throw new IOException("connection closed before stream " + stream + " ended");
    }

    /** A response: its header blocks (the head, then trailers if any) and its body. */
    record Response(List<Http2Headers> blocks, String body) {
    }

    /**
     * The response on {@code stream}, reading frames until its END_STREAM. Every header block read
     * on the way is decoded, whatever its stream, to keep the HPACK table in step.
     */
    Response response(int stream) throws IOException, Http2Exception {
        List<Http2Headers> blocks = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (Frame frame = read(); frame != null; frame = read()) {
            Http2Headers headers = frame.type == HEADERS ? decoder.decodeHeaders(frame.stream, Unpooled.wrappedBuffer(frame.payload)) : null;
            if (frame.stream != stream) {
                continue;
            }
            if (headers != null) {
                blocks.add(headers);
            }
            if (frame.type == DATA) {
                body.append(new String(frame.payload, StandardCharsets.ISO_8859_1));
            }
            if (frame.type == RST_STREAM) {
                throw new IOException("stream " + stream + " reset, error " + frame.errorCode());
            }
            if ((frame.type == DATA || frame.type == HEADERS) && (frame.flags & END_STREAM) != 0) {
                return new Response(blocks, body.toString());
            }
        }
        throw new IOException("connection closed before stream " + stream + " ended");
    }

    /** True when the server closes the connection (after a GOAWAY, or at once) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (read() != null) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
