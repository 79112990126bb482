package dev.gateway.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.staticfiles.StaticServer.RawResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConditionalRequestsTest {

    @RegisterExtension
    static final StaticServer server = new StaticServer().cacheControl("public, max-age=60");

    private static final Instant MODIFIED = Instant.parse("2024-03-10T12:30:45Z");
    private static final String CONTENT = "body of the conditional file";

    private static String etag;

    @BeforeAll
    static void file() throws IOException {
        Path file = server.root().resolve("doc.txt");
        Files.writeString(file, CONTENT);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        etag = server.get("/doc.txt").headers().firstValue("etag").orElseThrow();
    }

    @Test
    void responsesCarryStrongEtagLastModifiedAndCacheControl() {
        HttpResponse<byte[]> response = server.get("/doc.txt");

        assertThat(etag).matches("\"[0-9a-f]+-[0-9a-f]+\"");
        assertThat(response.headers().firstValue("last-modified")).hasValue(httpDate(MODIFIED));
        assertThat(response.headers().firstValue("cache-control")).hasValue("public, max-age=60");
    }

    @Test
    void ifNoneMatchWithTheCurrentTagIs304WithValidatorsAndTheFullLength() {
        RawResponse response = server.rawGet("/doc.txt", "If-None-Match: " + etag);

        assertThat(response.status()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("etag")).isEqualTo(etag);
        assertThat(response.header("last-modified")).isEqualTo(httpDate(MODIFIED));
        assertThat(response.header("cache-control")).isEqualTo("public, max-age=60");
        assertThat(response.header("content-length")).isEqualTo(String.valueOf(CONTENT.length()));
    }

    @Test
    void ifNoneMatchMatchesInAListWeaklyAndWithStar() {
        assertThat(server.get("/doc.txt", "If-None-Match", "\"other\", " + etag + ", \"x,y\"").statusCode())
                .isEqualTo(304);
        assertThat(server.get("/doc.txt", "If-None-Match", "W/" + etag).statusCode()).isEqualTo(304);
        assertThat(server.get("/doc.txt", "If-None-Match", "*").statusCode()).isEqualTo(304);
        assertThat(server.get("/doc.txt", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void notModifiedKeepsTheConnectionUsable() {
        for (int i = 0; i < 3; i++) {
            assertThat(server.get("/doc.txt", "If-None-Match", etag).statusCode()).isEqualTo(304);
            HttpResponse<byte[]> full = server.get("/doc.txt");
            assertThat(full.statusCode()).isEqualTo(200);
            assertThat(new String(full.body())).isEqualTo(CONTENT);
        }
    }

    @Test
    void headIsAnsweredWith304Too() {
        assertThat(server.head("/doc.txt", "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void ifModifiedSinceAtOrAfterTheModificationIs304() {
        assertThat(server.get("/doc.txt", "If-Modified-Since", httpDate(MODIFIED)).statusCode()).isEqualTo(304);
        assertThat(server.get("/doc.txt", "If-Modified-Since", httpDate(MODIFIED.plusSeconds(3600))).statusCode())
                .isEqualTo(304);
    }

    @Test
    void ifModifiedSinceBeforeTheModificationOrInvalidIs200() {
        assertThat(server.get("/doc.txt", "If-Modified-Since", httpDate(MODIFIED.minusSeconds(1))).statusCode())
                .isEqualTo(200);
        assertThat(server.get("/doc.txt", "If-Modified-Since", "yesterday").statusCode()).isEqualTo(200);
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        HttpResponse<byte[]> response = server.get("/doc.txt",
                "If-None-Match", "\"stale\"", "If-Modified-Since", httpDate(MODIFIED.plusSeconds(60)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body())).isEqualTo(CONTENT);
    }

    @Test
    void ifMatchThatFailsIs412() {
        RawResponse response = server.rawGet("/doc.txt", "If-Match: \"other\"");

        assertThat(response.status()).isEqualTo(412);
        assertThat(response.bodyText()).contains("\"status\":412");
        assertThat(response.header("content-length")).isEqualTo(String.valueOf(response.body().length));
    }

    @Test
    void ifMatchUsesStrongComparison() {
        assertThat(server.get("/doc.txt", "If-Match", etag).statusCode()).isEqualTo(200);
        assertThat(server.get("/doc.txt", "If-Match", "\"a\", " + etag).statusCode()).isEqualTo(200);
        assertThat(server.get("/doc.txt", "If-Match", "*").statusCode()).isEqualTo(200);
        assertThat(server.get("/doc.txt", "If-Match", "W/" + etag).statusCode()).isEqualTo(412);
    }

    @Test
    void ifUnmodifiedSinceBeforeTheModificationIs412() {
        assertThat(server.get("/doc.txt", "If-Unmodified-Since", httpDate(MODIFIED.minusSeconds(1))).statusCode())
                .isEqualTo(412);
        assertThat(server.get("/doc.txt", "If-Unmodified-Since", httpDate(MODIFIED)).statusCode()).isEqualTo(200);
    }

    @Test
    void ifMatchTakesPrecedenceOverIfUnmodifiedSince() {
        assertThat(server.get("/doc.txt",
                "If-Match", etag, "If-Unmodified-Since", httpDate(MODIFIED.minusSeconds(60))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void failedIfMatchWinsOverIfNoneMatch() {
        assertThat(server.get("/doc.txt", "If-Match", "\"other\"", "If-None-Match", etag).statusCode())
                .isEqualTo(412);
    }

    @Test
    void editingAFileChangesItsEtag() throws IOException {
        Path file = server.root().resolve("edited.txt");
        Files.writeString(file, "one");
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        String before = server.get("/edited.txt").headers().firstValue("etag").orElseThrow();

        Files.writeString(file, "two!");
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED.plusSeconds(1)));
        HttpResponse<byte[]> after = server.get("/edited.txt", "If-None-Match", before);

        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.headers().firstValue("etag")).isPresent().get().isNotEqualTo(before);
        assertThat(new String(after.body())).isEqualTo("two!");
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
                .format(instant.atOffset(ZoneOffset.UTC));
    }
}
