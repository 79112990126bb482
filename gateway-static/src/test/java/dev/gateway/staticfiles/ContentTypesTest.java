package dev.gateway.staticfiles;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.staticfiles.StaticServer.RawResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentTypesTest {

    @RegisterExtension
    static final StaticServer server = new StaticServer();

    @BeforeAll
    static void files() throws IOException {
        Files.writeString(server.root().resolve("page.html"), "<h1>h\u00e9llo</h1>");
        Files.write(server.root().resolve("empty.txt"), new byte[0]);
        Files.writeString(server.root().resolve("README"), "no extension");
        Files.writeString(server.root().resolve("data.unknownext"), "???");
        Files.writeString(server.root().resolve("PHOTO.PNG"), "not really a png");
        Files.writeString(server.root().resolve("archive.tar.gz"), "gz bytes");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "html        | text/html; charset=utf-8",
        "htm         | text/html; charset=utf-8",
        "css         | text/css; charset=utf-8",
        "js          | text/javascript; charset=utf-8",
        "mjs         | text/javascript; charset=utf-8",
        "cjs         | text/javascript; charset=utf-8",
        "json        | application/json; charset=utf-8",
        "map         | application/json; charset=utf-8",
        "xml         | application/xml; charset=utf-8",
        "txt         | text/plain; charset=utf-8",
        "md          | text/markdown; charset=utf-8",
        "csv         | text/csv; charset=utf-8",
        "svg         | image/svg+xml; charset=utf-8",
        "webmanifest | application/manifest+json; charset=utf-8",
        "ics         | text/calendar; charset=utf-8",
        "png         | image/png",
        "jpg         | image/jpeg",
        "jpeg        | image/jpeg",
        "gif         | image/gif",
        "webp        | image/webp",
        "avif        | image/avif",
        "ico         | image/x-icon",
        "bmp         | image/bmp",
        "woff        | font/woff",
        "woff2       | font/woff2",
        "ttf         | font/ttf",
        "otf         | font/otf",
        "eot         | application/vnd.ms-fontobject",
        "wasm        | application/wasm",
        "pdf         | application/pdf",
        "zip         | application/zip",
        "gz          | application/gzip",
        "tar         | application/x-tar",
        "mp3         | audio/mpeg",
        "ogg         | audio/ogg",
        "wav         | audio/wav",
        "m4a         | audio/mp4",
        "mp4         | video/mp4",
        "webm        | video/webm",
        "mov         | video/quicktime",
    })
    void contentTypeFollowsTheExtension(String extension, String contentType) throws IOException {
        Files.writeString(server.root().resolve("file." + extension), "content of " + extension);

        HttpResponse<byte[]> response = server.get("/file." + extension);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue(contentType);
        assertThat(new String(response.body(), UTF_8)).isEqualTo("content of " + extension);
    }

    @Test
    void unknownOrMissingExtensionIsOctetStream() {
        assertThat(server.get("/README").headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(server.get("/data.unknownext").headers().firstValue("content-type"))
                .hasValue("application/octet-stream");
    }

    @Test
    void extensionIsMatchedCaseInsensitivelyAndOnlyAfterTheLastDot() {
        assertThat(server.get("/PHOTO.PNG").headers().firstValue("content-type")).hasValue("image/png");
        assertThat(server.get("/archive.tar.gz").headers().firstValue("content-type")).hasValue("application/gzip");
    }

    @Test
    void everyFileResponseForbidsSniffingAndAdvertisesRanges() {
        HttpResponse<byte[]> response = server.get("/page.html");

        assertThat(response.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("accept-ranges")).hasValue("bytes");
        assertThat(response.headers().firstValue("content-length"))
                .hasValue(String.valueOf("<h1>h\u00e9llo</h1>".getBytes(UTF_8).length));
        assertThat(new String(response.body(), UTF_8)).isEqualTo("<h1>h\u00e9llo</h1>");
    }

    @Test
    void emptyFileHasContentLengthZero() {
        RawResponse response = server.rawGet("/empty.txt");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-length")).isEqualTo("0");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody() {
        RawResponse get = server.rawGet("/page.html");
        RawResponse head = server.raw("HEAD", "/page.html");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        for (String name : new String[] {"content-type", "content-length", "etag", "last-modified", "accept-ranges"}) {
            assertThat(head.header(name)).as(name).isNotNull().isEqualTo(get.header(name));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void otherMethodsGet405WithAllow(String method) {
        RawResponse response = server.raw(method, "/page.html", "Content-Length: 0");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("allow")).isEqualTo("GET, HEAD");
        assertThat(response.header("content-type")).isEqualTo("application/json");
        assertThat(response.bodyText()).contains("\"status\":405");
        assertThat(response.header("content-length")).isEqualTo(String.valueOf(response.body().length));
    }

    @Test
    void headOfAMissingFileIs404WithoutBody() {
        RawResponse response = server.raw("HEAD", "/nope.html");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("content-length")).isEqualTo(String.valueOf(
                "{\"status\":404,\"error\":\"Not Found\"}".length()));
    }

    @Test
    void errorsKeepTheGatewayJsonBodyWithExactLength() {
        RawResponse response = server.rawGet("/nope.html");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyText()).isEqualTo("{\"status\":404,\"error\":\"Not Found\"}");
        assertThat(response.header("content-length")).isEqualTo(String.valueOf(response.body().length));
    }
}
