package dev.gateway.staticfiles;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.staticfiles.StaticServer.RawResponse;
import io.netty.handler.codec.DateFormatter;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RangeRequestsTest {

    @RegisterExtension
    static final StaticServer server = new StaticServer().cacheControl("max-age=5");

    /** 1000 bytes: "0123456789" a hundred times, so every slice is easy to predict. */
    private static final byte[] CONTENT = "0123456789".repeat(100).getBytes(US_ASCII);
    private static final Instant MODIFIED = Instant.parse("2023-11-05T08:00:00Z");

    private static String etag;

    @BeforeAll
    static void files() throws IOException {
        Path file = server.root().resolve("digits.txt");
        Files.write(file, CONTENT);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        Files.write(server.root().resolve("empty.bin"), new byte[0]);
        etag = server.get("/digits.txt").headers().firstValue("etag").orElseThrow();
    }

    @Test
    void fullResponsesAdvertiseByteRanges() {
        HttpResponse<byte[]> response = server.get("/digits.txt");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("accept-ranges")).hasValue("bytes");
    }

    @Test
    void singleRangeIs206WithContentRange() {
        RawResponse response = server.rawGet("/digits.txt", "Range: bytes=10-19");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("content-range")).isEqualTo("bytes 10-19/1000");
        assertThat(response.header("content-length")).isEqualTo("10");
        assertThat(response.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.header("cache-control")).isEqualTo("max-age=5");
        assertThat(response.header("etag")).isEqualTo(etag);
        assertThat(response.body()).isEqualTo(slice(10, 19));
    }

    @Test
    void suffixRangeIsTheLastBytes() {
        RawResponse response = server.rawGet("/digits.txt", "Range: bytes=-500");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("content-range")).isEqualTo("bytes 500-999/1000");
        assertThat(response.body()).isEqualTo(slice(500, 999));
    }

    @Test
    void suffixLongerThanTheFileIsTheWholeFile() {
        RawResponse response = server.rawGet("/digits.txt", "Range: bytes=-5000");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("content-range")).isEqualTo("bytes 0-999/1000");
        assertThat(response.body()).isEqualTo(CONTENT);
    }

    @Test
    void openRangeRunsToTheEnd() {
        RawResponse response = server.rawGet("/digits.txt", "Range: bytes=100-");

        assertThat(response.header("content-range")).isEqualTo("bytes 100-999/1000");
        assertThat(response.header("content-length")).isEqualTo("900");
        assertThat(response.body()).isEqualTo(slice(100, 999));
    }

    @Test
    void lastPositionPastTheEndIsClamped() {
        RawResponse response = server.rawGet("/digits.txt", "Range: bytes=990-123456789012345678901234567890");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("content-range")).isEqualTo("bytes 990-999/1000");
        assertThat(response.body()).isEqualTo(slice(990, 999));
    }

    @Test
    void severalRangesAreMultipartWithExactLength() {
        RawResponse response = server.rawGet("/digits.txt", "Range: bytes=0-4, 500-509,-3");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("content-range")).isNull();
        assertThat(response.header("content-length")).isEqualTo(String.valueOf(response.body().length));
        String boundary = MultipartBody.boundaryOf(response.header("content-type"));
        List<MultipartBody.Part> parts = MultipartBody.parse(response.body(), boundary);
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).headers())
                .containsEntry("content-type", "text/plain; charset=utf-8")
                .containsEntry("content-range", "bytes 0-4/1000");
        assertThat(parts.get(0).data()).isEqualTo(slice(0, 4));
        assertThat(parts.get(1).headers()).containsEntry("content-range", "bytes 500-509/1000");
        assertThat(parts.get(1).data()).isEqualTo(slice(500, 509));
        assertThat(parts.get(2).headers()).containsEntry("content-range", "bytes 997-999/1000");
        assertThat(parts.get(2).data()).isEqualTo(slice(997, 999));
    }

    @Test
    void multipartBoundariesDifferBetweenResponses() {
        String first = server.rawGet("/digits.txt", "Range: bytes=0-1,5-6").header("content-type");
        String second = server.rawGet("/digits.txt", "Range: bytes=0-1,5-6").header("content-type");

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void multipartOverKeepAliveLeavesTheConnectionUsable() {
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> multi = server.get("/digits.txt", "Range", "bytes=1-2,7-8");
            assertThat(multi.statusCode()).isEqualTo(206);
            String boundary = MultipartBody.boundaryOf(multi.headers().firstValue("content-type").orElseThrow());
            assertThat(MultipartBody.parse(multi.body(), boundary)).hasSize(2);
            assertThat(server.get("/digits.txt").body()).isEqualTo(CONTENT);
        }
    }

    @Test
    void onlySatisfiableRangeOfSeveralIsSentAsSinglePart() {
        RawResponse response = server.rawGet("/digits.txt", "Range: bytes=5000-6000,20-29");

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.header("content-range")).isEqualTo("bytes 20-29/1000");
        assertThat(response.body()).isEqualTo(slice(20, 29));
    }

    @Test
    void unsatisfiableRangeIs416WithTheCompleteLength() {
        RawResponse response = server.rawGet("/digits.txt", "Range: bytes=1000-1001");

        assertThat(response.status()).isEqualTo(416);
        assertThat(response.header("content-range")).isEqualTo("bytes */1000");
        assertThat(response.bodyText()).contains("\"status\":416");
        assertThat(response.header("content-length")).isEqualTo(String.valueOf(response.body().length));
    }

    @Test
    void anyRangeOfAnEmptyFileIsUnsatisfiable() {
        assertThat(server.rawGet("/empty.bin", "Range: bytes=0-0").header("content-range")).isEqualTo("bytes */0");
        assertThat(server.rawGet("/empty.bin", "Range: bytes=-1").status()).isEqualTo(416);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=abc", "bytes=5-1", "items=0-5", "bytes=", "bytes 0-5", "bytes=1-2-3",
        "bytes=-", "bytes=0x10-20", "bytes=0-5,xyz"})
    void malformedRangeIsIgnored(String range) {
        RawResponse response = server.rawGet("/digits.txt", "Range: " + range);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-range")).isNull();
        assertThat(response.body()).isEqualTo(CONTENT);
    }

    @Test
    void moreThanSixteenRangesAreIgnored() {
        String seventeen = IntStream.range(0, 17).mapToObj(i -> (i * 10) + "-" + (i * 10 + 1))
                .collect(Collectors.joining(","));
        String sixteen = IntStream.range(0, 16).mapToObj(i -> (i * 10) + "-" + (i * 10 + 1))
                .collect(Collectors.joining(","));

        assertThat(server.rawGet("/digits.txt", "Range: bytes=" + seventeen).status()).isEqualTo(200);
        RawResponse allowed = server.rawGet("/digits.txt", "Range: bytes=" + sixteen);
        assertThat(allowed.status()).isEqualTo(206);
        assertThat(MultipartBody.parse(allowed.body(), MultipartBody.boundaryOf(allowed.header("content-type"))))
                .hasSize(16);
    }

    @Test
    void overlappingRangesAskingForMoreThanTheFileAreIgnored() {
        RawResponse response = server.rawGet("/digits.txt", "Range: bytes=0-,0-,0-");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(CONTENT);
    }

    @Test
    void ifRangeWithTheCurrentEtagOrDateAllowsTheRange() {
        assertThat(server.get("/digits.txt", "Range", "bytes=0-9", "If-Range", etag).statusCode()).isEqualTo(206);
        assertThat(server.get("/digits.txt", "Range", "bytes=0-9", "If-Range",
                DateFormatter.format(Date.from(MODIFIED))).statusCode()).isEqualTo(206);
    }

    @Test
    void ifRangeThatDoesNotMatchGetsTheWholeFile() {
        for (String ifRange : new String[] {"\"stale\"", "W/" + etag,
            DateFormatter.format(Date.from(MODIFIED.minusSeconds(10))), "not a date"}) {
            HttpResponse<byte[]> response = server.get("/digits.txt", "Range", "bytes=0-9", "If-Range", ifRange);
            assertThat(response.statusCode()).as(ifRange).isEqualTo(200);
            assertThat(response.body()).as(ifRange).isEqualTo(CONTENT);
        }
    }

    @Test
    void headWithRangeHasTheHeadersOfTheGet() {
        RawResponse get = server.rawGet("/digits.txt", "Range: bytes=10-19");
        RawResponse head = server.raw("HEAD", "/digits.txt", "Range: bytes=10-19");

        assertThat(head.status()).isEqualTo(206);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("content-range")).isEqualTo(get.header("content-range"));
        assertThat(head.header("content-length")).isEqualTo("10");
    }

    @Test
    void notModifiedIsCheckedBeforeRanges() {
        assertThat(server.get("/digits.txt", "Range", "bytes=0-9", "If-None-Match", etag).statusCode())
                .isEqualTo(304);
    }

    private static byte[] slice(int first, int last) {
        return Arrays.copyOfRange(CONTENT, first, last + 1);
    }
}
