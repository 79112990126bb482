package dev.gateway.core;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP traces receiver on 127.0.0.1:0 ({@code POST /v1/traces}, protobuf), for tests: it
 * decodes the spans it is sent with a small protobuf wire-format reader (only the fields the tests
 * look at) and answers 200 with an empty ExportTraceServiceResponse, as a collector does.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span: ids as hex, attributes by key (strings, longs, doubles, booleans). */
    record Span(String traceId, String spanId, String parentSpanId, String name, int kind,
                long startNanos, long endNanos, Map<String, Object> attributes, Map<String, Object> resource) {
    }

    private final HttpServer server;
    final List<Span> spans = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            InputStream in = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new GZIPInputStream(in);
            }
            byte[] body = in.readAllBytes();
            try {
                decodeRequest(body);
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            }
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- ExportTraceServiceRequest -> ResourceSpans -> ScopeSpans -> Span --------------------------

    private void decodeRequest(byte[] body) {
        for (Field resourceSpans : fields(body, 1)) {
            Map<String, Object> resource = new HashMap<>();
            for (Field r : fields(resourceSpans.bytes, 1)) {
                attributes(r.bytes, 1, resource);
            }
            for (Field scopeSpans : fields(resourceSpans.bytes, 2)) {
                for (Field span : fields(scopeSpans.bytes, 2)) {
                    spans.add(span(span.bytes, resource));
                }
            }
        }
    }

    private static Span span(byte[] bytes, Map<String, Object> resource) {
        String traceId = null;
        String spanId = null;
        String parent = "";
        String name = null;
        int kind = 0;
        long start = 0;
        long end = 0;
        Map<String, Object> attributes = new HashMap<>();
        for (Field f : fields(bytes, -1)) {
            switch (f.number) {
                case 1 -> traceId = HexFormat.of().formatHex(f.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(f.bytes);
                case 4 -> parent = HexFormat.of().formatHex(f.bytes);
                case 5 -> name = new String(f.bytes, StandardCharsets.UTF_8);
                case 6 -> kind = (int) f.value;
                case 7 -> start = f.value;
                case 8 -> end = f.value;
                case 9 -> keyValue(f.bytes, attributes);
                default -> { }
            }
        }
        return new Span(traceId, spanId, parent, name, kind, start, end, attributes, resource);
    }

    private static void attributes(byte[] bytes, int field, Map<String, Object> into) {
        for (Field kv : fields(bytes, field)) {
            keyValue(kv.bytes, into);
        }
    }

    /** KeyValue { string key = 1; AnyValue value = 2 }, AnyValue { string 1; bool 2; int64 3; double 4 }. */
    private static void keyValue(byte[] bytes, Map<String, Object> into) {
        String key = null;
        Object value = null;
        for (Field f : fields(bytes, -1)) {
            if (f.number == 1) {
                key = new String(f.bytes, StandardCharsets.UTF_8);
            } else if (f.number == 2) {
                for (Field v : fields(f.bytes, -1)) {
                    value = switch (v.number) {
                        case 1 -> new String(v.bytes, StandardCharsets.UTF_8);
                        case 2 -> v.value != 0;
                        case 3 -> v.value;
                        case 4 -> Double.longBitsToDouble(v.value);
                        default -> null;
                    };
                }
            }
        }
        into.put(key, value);
    }

    /** One field of a message: its number, and its bytes (length-delimited) or value (varint, fixed). */
    private record Field(int number, long value, byte[] bytes) {
    }

    /** The fields numbered {@code wanted} (-1: all) of a protobuf message. */
    private static List<Field> fields(byte[] message, int wanted) {
        List<Field> out = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < message.length) {
            long tag = varint(message, pos);
            int number = (int) (tag >>> 3);
            int type = (int) (tag & 7);
            Field field;
            switch (type) {
                case 0 -> field = new Field(number, varint(message, pos), null);
                case 1 -> {
                    long v = 0;
                    for (int i = 7; i >= 0; i--) {
                        v = (v << 8) | (message[pos[0] + i] & 0xFF);
                    }
                    pos[0] += 8;
                    field = new Field(number, v, null);
                }
                case 2 -> {
                    int length = (int) varint(message, pos);
                    byte[] bytes = java.util.Arrays.copyOfRange(message, pos[0], pos[0] + length);
                    pos[0] += length;
                    field = new Field(number, 0, bytes);
                }
                case 5 -> {
                    pos[0] += 4;
                    field = new Field(number, 0, null);
                }
                default -> throw new IllegalArgumentException("wire type " + type);
            }
            if (wanted < 0 || number == wanted) {
                out.add(field);
            }
        }
        return out;
    }

    private static long varint(byte[] bytes, int[] pos) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes[pos[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
