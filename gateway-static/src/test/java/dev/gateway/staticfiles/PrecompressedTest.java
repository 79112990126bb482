package dev.gateway.staticfiles;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.staticfiles.StaticServer.RawResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrecompressedTest {

    @RegisterExtension
    static final StaticServer server = new StaticServer().cacheControl("max-age=600");

    private static final String JS = "function hello() { return 'hello, world'; }\n".repeat(20);
    /** Brotli is not in the JDK; the server never decodes, so marker bytes stand in for it. */
    private static final byte[] BR = "BROTLI-BYTES".getBytes(UTF_8);
    private static byte[] gzip;

    @BeforeAll
    static void files() throws IOException {
        Path root = server.root();
        gzip = gzip(JS);
        Files.writeString(root.resolve("app.js"), JS);
        Files.write(root.resolve("app.js.br"), BR);
        Files.write(root.resolve("app.js.gz"), gzip);
        Files.writeString(root.resolve("style.css"), "body{}");
        Files.write(root.resolve("style.css.gz"), gzip("body{}"));
        Files.writeString(root.resolve("plain.js"), "no siblings");
        Files.writeString(root.resolve("photo.png"), "png bytes");
        Files.writeString(root.resolve("photo.png.gz"), "gz of png");
        Files.writeString(server.outside().resolve("linked.gz"), "outside gzip");
        Files.writeString(root.resolve("linked.js"), "linked identity");
        Files.createSymbolicLink(root.resolve("linked.js.gz"), server.outside().resolve("linked.gz"));
    }

    @ParameterizedTest(name = "Accept-Encoding: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "gzip, deflate, br         | br",
        "br                        | br",
        "gzip                      | gzip",
        "x-gzip                    | gzip",
        "br;q=0.5, gzip            | gzip",
        "br, gzip;q=0.9            | br",
        "BR;Q=1, GZIP;q=1          | br",
        "*                         | br",
        "*;q=0, gzip               | gzip",
        "gzip;q=0.5, identity      | identity",
        "gzip, identity;q=0.5      | gzip",
        "identity                  | identity",
        "br;q=0, gzip;q=0          | identity",
        "deflate                   | identity",
        "br;q=2, gzip              | gzip",
        "br;q=abc, gzip;q=0.001    | gzip",
    })
    void codingIsChosenByAcceptEncoding(String acceptEncoding, String expected) {
        HttpResponse<byte[]> response = server.get("/app.js", "Accept-Encoding", acceptEncoding);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(response.headers().firstValue("vary")).hasValue("accept-encoding");
        switch (expected) {
            case "br" -> {
                assertThat(response.headers().firstValue("content-encoding")).hasValue("br");
                assertThat(response.body()).isEqualTo(BR);
            }
            case "gzip" -> {
                assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
                assertThat(response.body()).isEqualTo(gzip);
            }
            default -> {
                assertThat(response.headers().firstValue("content-encoding")).isEmpty();
                assertThat(new String(response.body(), UTF_8)).isEqualTo(JS);
            }
        }
        assertThat(response.headers().firstValue("content-length")).hasValue(String.valueOf(response.body().length));
    }

    @Test
    void withoutAcceptEncodingTheIdentityIsSentButStillVaries() {
        RawResponse response = server.rawGet("/app.js");

        assertThat(response.bodyText()).isEqualTo(JS);
        assertThat(response.header("content-encoding")).isNull();
        assertThat(response.header("vary")).isEqualTo("accept-encoding");
    }

    @Test
    void identityIsSentWhenNothingAcceptableExistsEvenIfRefused() {
        RawResponse response = server.rawGet("/style.css", "Accept-Encoding: br, identity;q=0");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-encoding")).isNull();
        assertThat(response.bodyText()).isEqualTo("body{}");
    }

    @Test
    void eachCodingHasItsOwnEtag() {
        String identity = server.get("/app.js").headers().firstValue("etag").orElseThrow();
        String br = server.get("/app.js", "Accept-Encoding", "br").headers().firstValue("etag").orElseThrow();
        String gz = server.get("/app.js", "Accept-Encoding", "gzip").headers().firstValue("etag").orElseThrow();

        assertThat(identity).isNotEqualTo(br).isNotEqualTo(gz);
        assertThat(br).isNotEqualTo(gz).endsWith("-br\"");
        assertThat(gz).endsWith("-gzip\"");
    }

    @Test
    void conditionalRequestsUseTheChosenCodingsEtag() {
        String gz = server.get("/app.js", "Accept-Encoding", "gzip").headers().firstValue("etag").orElseThrow();

        RawResponse notModified = server.rawGet("/app.js", "Accept-Encoding: gzip", "If-None-Match: " + gz);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("vary")).isEqualTo("accept-encoding");
        assertThat(notModified.header("content-encoding")).isEqualTo("gzip");
        assertThat(notModified.header("cache-control")).isEqualTo("max-age=600");
        assertThat(notModified.header("content-length")).isEqualTo(String.valueOf(gzip.length));

        assertThat(server.get("/app.js", "Accept-Encoding", "br", "If-None-Match", gz).statusCode()).isEqualTo(200);
    }

    @Test
    void rangesApplyToTheCompressedBytes() {
        RawResponse response = server.rawGet("/app.js", "Accept-Encoding: br", "Range: bytes=0-5");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("content-encoding")).isEqualTo("br");
        assertThat(response.header("content-range")).isEqualTo("bytes 0-5/" + BR.length);
        assertThat(response.bodyText()).isEqualTo("BROTLI");
    }

    @Test
    void headReportsTheCompressedLength() {
        RawResponse response = server.raw("HEAD", "/app.js", "Accept-Encoding: gzip");

        assertThat(response.header("content-length")).isEqualTo(String.valueOf(gzip.length));
        assertThat(response.header("content-encoding")).isEqualTo("gzip");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void fileWithoutSiblingsDoesNotVary() {
        RawResponse response = server.rawGet("/plain.js", "Accept-Encoding: gzip, br");

        assertThat(response.header("vary")).isNull();
        assertThat(response.header("content-encoding")).isNull();
    }

    @Test
    void alreadyCompressedTypesAreNotLookedUp() {
        RawResponse response = server.rawGet("/photo.png", "Accept-Encoding: gzip");

        assertThat(response.bodyText()).isEqualTo("png bytes");
        assertThat(response.header("vary")).isNull();
    }

    @Test
    void siblingThatIsASymlinkIsIgnored() {
        RawResponse response = server.rawGet("/linked.js", "Accept-Encoding: gzip");

        assertThat(response.bodyText()).isEqualTo("linked identity");
        assertThat(response.header("content-encoding")).isNull();
    }

    @Test
    void siblingCanStillBeFetchedByItsOwnName() {
        RawResponse response = server.rawGet("/app.js.gz");

        assertThat(response.header("content-type")).isEqualTo("application/gzip");
        assertThat(response.header("content-encoding")).isNull();
        assertThat(response.body()).isEqualTo(gzip);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(UTF_8));
        }
        return bytes.toByteArray();
    }
}
