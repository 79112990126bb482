package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On-the-fly compression through a real gateway: proxied and static bodies in each coding, decoded
 * by the JDK (gzip) and Debian's brotli and zstd tools; negotiation by q-values and server
 * preference; every case that must be left alone; streaming without buffering; HTTP/2.
 */
class CompressionEndToEndTest {

    static final String PAGE = page(100 * 1024);

    @TempDir
    Path dir;

    static String page(int size) {
        StringBuilder html = new StringBuilder("<!doctype html><html><body>\n");
        for (int i = 0; html.length() < size - 20; i++) {
            html.append("<p class=\"row\">Row ").append(i).append(": the quick brown fox jumps over the lazy dog</p>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    /** Answers every request with {@code body} as {@code type}, a strong ETag and whatever {@code extra} adds. */
    static TestBackend backend(String type, String body, String... extra) throws InterruptedException {
        return TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) -> answer(ctx, request, type, body, extra)));
    }

    private static void answer(ChannelHandlerContext ctx, FullHttpRequest request, String type, String body,
                               String... extra) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type).set(HttpHeaderNames.ETAG, "\"v1\"")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        for (int i = 0; i < extra.length; i += 2) {
            response.headers().set(extra[i], extra[i + 1]);
        }
        ctx.writeAndFlush(response);
    }

    private static String route(TestBackend backend) {
        return "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\ncompress = true\n";
    }

    private java.net.http.HttpResponse<byte[]> get(GatewayFixture gateway, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gateway.client.send(request.build(), BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "zstd"})
    void proxiedPagesAreCompressedInEachCodingAndDecodeToTheOriginal(String coding) throws Exception {
        Decoders.assumeDecoder(coding);
        try (TestBackend backend = backend("text/html; charset=utf-8", PAGE);
             GatewayFixture gateway = GatewayFixture.start(dir, route(backend))) {
            var response = get(gateway, "/page", "Accept-Encoding", coding);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-encoding")).contains(coding);
            assertThat(response.headers().firstValue("content-length")).isEmpty();
            assertThat(response.headers().allValues("vary")).containsExactly("Accept-Encoding");
            assertThat(response.headers().firstValue("etag")).contains("W/\"v1\"");
            assertThat(response.body().length).isLessThan(PAGE.length() / 5);
            assertThat(new String(Decoders.decode(coding, response.body()), StandardCharsets.UTF_8)).isEqualTo(PAGE);
        }
    }

    @Test
    void theClientsWeightsWinThenTheServersOrder() throws Exception {
        try (TestBackend backend = backend("application/json", PAGE);
             GatewayFixture gateway = GatewayFixture.start(dir, "[compression]\nalgorithms = [\"br\", \"gzip\", \"zstd\"]\n"
                     + route(backend))) {
            assertThat(encoding(gateway, "gzip, zstd, br")).isEqualTo("br");
            assertThat(encoding(gateway, "gzip;q=1, br;q=0.5")).isEqualTo("gzip");
            assertThat(encoding(gateway, "zstd, br;q=0, gzip;q=0.1")).isEqualTo("zstd");
            assertThat(encoding(gateway, "*;q=0.5, br;q=0")).isEqualTo("gzip");
            assertThat(encoding(gateway, "x-gzip")).isEqualTo("gzip");
            assertThat(encoding(gateway, "identity;q=1, gzip;q=0.5")).isEqualTo("-");
            assertThat(encoding(gateway, "deflate, compress")).isEqualTo("-");
            assertThat(encoding(gateway, "gzip;q=2, gzip;q=x")).isEqualTo("-"); // malformed weights count as absent
            var plain = get(gateway, "/x");
            assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
            assertThat(plain.headers().allValues("vary")).containsExactly("Accept-Encoding");
            assertThat(plain.headers().firstValue("etag")).contains("\"v1\"");
            assertThat(plain.headers().firstValue("content-length")).contains(Integer.toString(PAGE.length()));
        }
    }

    private String encoding(GatewayFixture gateway, String acceptEncoding) throws Exception {
        return get(gateway, "/x", "Accept-Encoding", acceptEncoding).headers().firstValue("content-encoding").orElse("-");
    }

    @Test
    void responsesThatMustNotBeTransformedAreLeftAlone() throws Exception {
        try (TestBackend html = backend("text/html", PAGE);
             TestBackend png = backend("image/png", PAGE);
             TestBackend small = backend("text/html", "<p>tiny</p>");
             TestBackend encoded = backend("text/html", PAGE, "Content-Encoding", "gzip");
             TestBackend noTransform = backend("text/html", PAGE, "Cache-Control", "public, no-transform");
             TestBackend partial = TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) -> {
                 FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                         HttpResponseStatus.PARTIAL_CONTENT, Unpooled.copiedBuffer("0123456789", StandardCharsets.UTF_8));
                 response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                         .set(HttpHeaderNames.CONTENT_RANGE, "bytes 0-9/2000").setInt(HttpHeaderNames.CONTENT_LENGTH, 10);
                 ctx.writeAndFlush(response);
             }));
             GatewayFixture gateway = GatewayFixture.start(dir, ""
                     + "[[routes]]\npath = \"/html/*\"\ntargets = [\"" + html.url() + "\"]\ncompress = true\n"
                     + "[[routes]]\npath = \"/png/*\"\ntargets = [\"" + png.url() + "\"]\ncompress = true\n"
                     + "[[routes]]\npath = \"/small/*\"\ntargets = [\"" + small.url() + "\"]\ncompress = true\n"
                     + "[[routes]]\npath = \"/encoded/*\"\ntargets = [\"" + encoded.url() + "\"]\ncompress = true\n"
                     + "[[routes]]\npath = \"/notransform/*\"\ntargets = [\"" + noTransform.url() + "\"]\ncompress = true\n"
                     + "[[routes]]\npath = \"/partial/*\"\ntargets = [\"" + partial.url() + "\"]\ncompress = true\n"
                     + "[[routes]]\npath = \"/off/*\"\ntargets = [\"" + html.url() + "\"]\n")) {
            assertUntouched(get(gateway, "/png/a", "Accept-Encoding", "gzip"), false);
            assertUntouched(get(gateway, "/small/a", "Accept-Encoding", "gzip"), false);
            assertThat(get(gateway, "/encoded/a", "Accept-Encoding", "br").headers().firstValue("content-encoding"))
                    .contains("gzip");
            assertUntouched(get(gateway, "/notransform/a", "Accept-Encoding", "gzip"), false);
            assertUntouched(get(gateway, "/partial/a", "Accept-Encoding", "gzip", "Range", "bytes=0-9"), false);
            assertUntouched(get(gateway, "/html/a", "Accept-Encoding", "gzip", "Range", "bytes=0-9"), true);
            assertUntouched(get(gateway, "/html/a", "Accept-Encoding", "gzip", "Cache-Control", "no-transform"), true);
            assertUntouched(get(gateway, "/off/a", "Accept-Encoding", "gzip"), false);
            var head = gateway.client.send(HttpRequest.newBuilder(gateway.uri("/html/a"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Accept-Encoding", "gzip").build(),
                    BodyHandlers.discarding());
            assertThat(head.headers().firstValue("content-encoding")).isEmpty();
            assertThat(head.headers().firstValue("vary")).contains("Accept-Encoding");
        }
    }

    private static void assertUntouched(java.net.http.HttpResponse<byte[]> response, boolean varies) {
        assertThat(response.headers().firstValue("content-encoding")).isEmpty();
        assertThat(response.headers().firstValue("vary").isPresent()).isEqualTo(varies);
        assertThat(response.headers().firstValue("content-length")).contains(Integer.toString(response.body().length));
    }

    @Test
    void aSlowBodyStreamsThroughTheEncoderAsItComes() throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        try (TestBackend slow = TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) -> {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                ctx.write(head);
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("data: first\n\n", StandardCharsets.UTF_8)));
                new Thread(() -> {
                    try {
                        firstSeen.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("data: second\n\n", StandardCharsets.UTF_8)));
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                }).start();
             }));
             GatewayFixture gateway = GatewayFixture.start(dir, route(slow))) {
            var response = gateway.client.send(HttpRequest.newBuilder(gateway.uri("/events"))
                    .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofInputStream());
            assertThat(response.headers().firstValue("content-encoding")).contains("gzip");
            InputStream body = response.body();
            Inflater inflater = new Inflater(true);
            byte[] gzipHeader = body.readNBytes(10);
            assertThat(gzipHeader[0] & 0xff).isEqualTo(0x1f);
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[256];
            byte[] out = new byte[256];
            while (!seen.toString().contains("first")) { // the second event is only sent once we saw the first
                int n = body.read(buf);
                assertThat(n).as("stream ended before the first event").isPositive();
                inflater.setInput(buf, 0, n);
                for (int m = inflater.inflate(out); m > 0; m = inflater.inflate(out)) {
                    seen.append(new String(out, 0, m, StandardCharsets.UTF_8));
                }
            }
            firstSeen.countDown();
            byte[] rest = body.readAllBytes();
            inflater.setInput(rest);
            for (int m = inflater.inflate(out); m > 0; m = inflater.inflate(out)) {
                seen.append(new String(out, 0, m, StandardCharsets.UTF_8));
            }
            assertThat(seen.toString()).isEqualTo("data: first\n\ndata: second\n\n");
        }
    }

    @Test
    void staticFilesAreCompressedAndPrecompressedSiblingsStillWin() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), PAGE);
        Files.writeString(dir.resolve("public/app.js"), PAGE);
        Files.write(dir.resolve("public/app.js.br"), new byte[] {1, 2, 3});
        String big = page(3 * 1024 * 1024);
        Files.writeString(dir.resolve("public/big.txt"), big);
        Files.write(dir.resolve("public/logo.png"), PAGE.getBytes(StandardCharsets.UTF_8));
        try (GatewayFixture gateway = GatewayFixture.start(dir, "[compression]\nenabled = true\n[static]\nroot = \"public\"\n")) {
            var html = get(gateway, "/", "Accept-Encoding", "gzip");
            assertThat(html.headers().firstValue("content-encoding")).contains("gzip");
            assertThat(html.headers().firstValue("etag").orElseThrow()).startsWith("W/\"");
            assertThat(new String(Decoders.decode("gzip", html.body()), StandardCharsets.UTF_8)).isEqualTo(PAGE);

            var sibling = get(gateway, "/app.js", "Accept-Encoding", "br, gzip");
            assertThat(sibling.headers().firstValue("content-encoding")).contains("br");
            assertThat(sibling.body()).containsExactly(1, 2, 3);
            var onTheFly = get(gateway, "/app.js", "Accept-Encoding", "gzip");
            assertThat(onTheFly.headers().firstValue("content-encoding")).contains("gzip");
            // the site's own Vary (it has a sibling) is kept, not repeated; field names are case-insensitive
            assertThat(onTheFly.headers().allValues("vary")).singleElement().asString().isEqualToIgnoringCase("Accept-Encoding");

            var large = get(gateway, "/big.txt", "Accept-Encoding", "gzip");
            assertThat(new String(Decoders.decode("gzip", large.body()), StandardCharsets.UTF_8)).isEqualTo(big);
            assertUntouched(get(gateway, "/logo.png", "Accept-Encoding", "gzip"), false);
            var range = get(gateway, "/index.html", "Accept-Encoding", "gzip", "Range", "bytes=0-9");
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.headers().firstValue("content-encoding")).isEmpty();
        }
    }

    @Test
    void clientsThatLeaveMidResponseFreeTheEncoderAndItsPlace() throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/big.txt"), page(3 * 1024 * 1024));
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.streamingDownload(256L * 1024 * 1024));
             GatewayFixture gateway = GatewayFixture.start(dir, "[compression]\nenabled = true\nmax_concurrent = 1\n"
                     + "[static]\nroot = \"public\"\n[[routes]]\npath = \"/stream/*\"\ntargets = [\"" + backend.url() + "\"]\n"
                     + "response_headers = { set = { \"Content-Type\" = \"text/plain\" } }\n")) {
            for (String coding : new String[] {"gzip", "br", "zstd"}) {
                for (String path : new String[] {"/big.txt", "/stream/x"}) {
                    awaitFreePlace(gateway); // max_concurrent = 1: free once the previous aborted response gave it back
                    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
                        socket.setSoTimeout(30_000);
                        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: " + coding
                                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        String head = readHead(socket.getInputStream()); // and the first body bytes, maybe
                        assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-encoding: " + coding);
                    } // closed mid-body
                }
            }
            awaitFreePlace(gateway);
        }
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            assertThat(b).as("the response head ended early: " + head).isNotNegative();
            head.append((char) b);
        }
        return head.toString();
    }

    private void awaitFreePlace(GatewayFixture gateway) {
        dev.gateway.testkit.Eventually.await("a free compression place", () -> {
            try {
                return get(gateway, "/big.txt", "Accept-Encoding", "gzip").headers().firstValue("content-encoding").isPresent();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void http2ClientsGetCompressedStreamsToo() throws Exception {
        TestCertificates.write(dir);
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.html"), PAGE);
        try (TestBackend backend = backend("application/json", PAGE);
             GatewayFixture gateway = GatewayFixture.start(dir, TestCertificates.SERVER_TLS, "[static]\nroot = \"public\"\n"
                     + "[compression]\nenabled = true\n[[routes]]\npath = \"/api/*\"\ntargets = [\"" + backend.url() + "\"]\n")) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .sslContext(TlsListenerTest.trustAll()).build();
            for (String path : new String[] {"/api/x", "/"}) {
                var response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + gateway.port() + path))
                        .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofByteArray());
                assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(response.headers().firstValue("content-encoding")).contains("gzip");
                assertThat(new String(Decoders.decode("gzip", response.body()), StandardCharsets.UTF_8)).isEqualTo(PAGE);
            }
        }
    }
}
