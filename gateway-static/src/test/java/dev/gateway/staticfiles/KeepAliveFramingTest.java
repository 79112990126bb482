package dev.gateway.staticfiles;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.staticfiles.StaticServer.RawResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of response StaticSite writes, pipelined on one connection: if any Content-Length
 * were off by one byte, every response after it would be misread.
 */
class KeepAliveFramingTest {

    @RegisterExtension
    static final StaticServer server = new StaticServer();

    @BeforeAll
    static void files() throws IOException {
        Files.writeString(server.root().resolve("a.txt"), "alpha-content");
        Files.createDirectories(server.root().resolve("dir"));
        Files.writeString(server.root().resolve("app.js"), "let x = 1;");
        Files.writeString(server.root().resolve("app.js.gz"), "gzipped");
    }

    @Test
    void pipelinedResponsesOfEveryKindAreFramedExactly() throws IOException {
        String etag = server.rawGet("/a.txt").header("etag");
        String[][] requests = {
            {"GET", "/a.txt", ""},
            {"HEAD", "/a.txt", ""},
            {"GET", "/a.txt", "If-None-Match: " + etag},
            {"GET", "/a.txt", "Range: bytes=0-4"},
            {"GET", "/a.txt", "Range: bytes=0-1,6-8"},
            {"GET", "/a.txt", "Range: bytes=99-"},
            {"GET", "/a.txt", "If-Match: \"nope\""},
            {"GET", "/missing.txt", ""},
            {"HEAD", "/missing.txt", ""},
            {"GET", "/dir", ""},
            {"GET", "/dir/", ""},
            {"GET", "/%zz", ""},
            {"DELETE", "/a.txt", ""},
            {"GET", "/app.js", "Accept-Encoding: gzip"},
            {"HEAD", "/a.txt", "Range: bytes=1-2,4-5"},
            {"GET", "/a.txt", ""},
        };
        StringBuilder pipelined = new StringBuilder();
        for (int i = 0; i < requests.length; i++) {
            pipelined.append(requests[i][0]).append(' ').append(requests[i][1]).append(" HTTP/1.1\r\n")
                    .append("Host: localhost\r\n");
            if (!requests[i][2].isEmpty()) {
                pipelined.append(requests[i][2]).append("\r\n");
            }
            if (i == requests.length - 1) {
                pipelined.append("Connection: close\r\n");
            }
            pipelined.append("\r\n");
        }

        byte[] wire;
        try (Socket socket = server.openSocket()) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(pipelined.toString().getBytes(US_ASCII));
            out.flush();
            wire = socket.getInputStream().readAllBytes();
        }

        List<RawResponse> responses = split(wire, requests);
        assertThat(responses).extracting(RawResponse::status)
                .containsExactly(200, 200, 304, 206, 206, 416, 412, 404, 404, 301, 404, 400, 405, 200, 206, 200);
        assertThat(responses.get(0).bodyText()).isEqualTo("alpha-content");
        assertThat(responses.get(3).bodyText()).isEqualTo("alpha");
        assertThat(responses.get(13).bodyText()).isEqualTo("gzipped");
        assertThat(responses.get(15).bodyText()).isEqualTo("alpha-content");
    }

    /** Cuts the byte stream into responses using only each one's Content-Length, as a client must. */
    private static List<RawResponse> split(byte[] wire, String[][] requests) {
        List<RawResponse> responses = new ArrayList<>();
        int at = 0;
        for (String[] request : requests) {
            int headEnd = indexOf(wire, at);
            assertThat(headEnd).as("head of response to %s %s", request[0], request[1]).isPositive();
            RawResponse head = RawResponse.parse(Arrays.copyOfRange(wire, at, headEnd + 4));
            String length = head.header("content-length");
            assertThat(length).as("Content-Length of %s %s", request[0], request[1]).isNotNull();
            boolean bodiless = request[0].equals("HEAD") || head.status() == 304;
            int bodyLength = bodiless ? 0 : Integer.parseInt(length);
            byte[] body = Arrays.copyOfRange(wire, headEnd + 4, headEnd + 4 + bodyLength);
            responses.add(new RawResponse(head.status(), head.headers(), body));
            at = headEnd + 4 + bodyLength;
        }
        assertThat(at).as("no bytes after the last response").isEqualTo(wire.length);
        return responses;
    }

    private static int indexOf(byte[] wire, int from) {
        for (int i = from; i + 3 < wire.length; i++) {
            if (wire[i] == '\r' && wire[i + 1] == '\n' && wire[i + 2] == '\r' && wire[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
