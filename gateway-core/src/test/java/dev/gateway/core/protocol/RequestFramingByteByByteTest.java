package dev.gateway.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client pipeline's decoder and framing checks on an EmbeddedChannel, each request fed whole
 * and one byte at a time, as Netty tests its own codecs: the verdict must not depend on how the
 * bytes were split by the network.
 */
class RequestFramingByteByByteTest {

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n", "ok"),
                Arguments.of("GET / HTTP/1.0\r\n\r\n", "ok"),
                Arguments.of("GET / HTTP/1.7\r\nHost: a.example\r\n\r\n", "ok"),
                Arguments.of("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "ok"),
                Arguments.of("GET / HTTP/2.0\r\nHost: a.example\r\n\r\n", "505"),
                Arguments.of("GET / http/1.1\r\nHost: a.example\r\n\r\n", "400"),
                Arguments.of("GET / HTTP/1\r\nHost: a.example\r\n\r\n", "400"),
                Arguments.of("GET / HTTP/1.1\r\n\r\n", "framing"),
                Arguments.of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "framing"),
                Arguments.of("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", "framing"),
                Arguments.of("GET / HTTP/1.1\r\nHost: a.example:99999x\r\n\r\n", "framing"),
                Arguments.of("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "framing"),
                Arguments.of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "400"),
                Arguments.of("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", "400"),
                Arguments.of("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk"));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void theVerdictIsTheSameWholeAndByteByByte(String request, String verdict) {
        assertThat(verdict(request, false)).as("whole").isEqualTo(verdict);
        assertThat(verdict(request, true)).as("byte by byte").isEqualTo(verdict);
    }

    /** What the client handler would conclude: ok, the decode-failure status, framing, or bad chunk. */
    private static String verdict(String text, boolean byteByByte) {
        EmbeddedChannel channel = new EmbeddedChannel(new StrictHttpServerCodec(new HttpDecoderConfig()));
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (byteByByte) {
            for (byte b : bytes) {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        } else {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
        String verdict = null;
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            try {
                if (verdict != null) {
                    continue;
                }
                if (msg instanceof HttpRequest) {
                    HttpRequest head = (HttpRequest) msg;
                    if (head.decoderResult().isFailure()) {
                        HttpResponseStatus status = RequestFraming.statusForDecodeFailure(head.decoderResult().cause());
                        verdict = Integer.toString(status.code());
                    } else if (RequestFraming.problem(head) != null) {
                        verdict = "framing";
                    }
                }
                if (verdict == null && msg instanceof HttpContent && ((HttpContent) msg).decoderResult().isFailure()) {
                    verdict = "bad chunk"; // (a head that failed is also its own last content: judged above)
                }
                if (msg instanceof LastHttpContent && verdict == null) {
                    verdict = "ok";
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        channel.finishAndReleaseAll();
        return verdict;
    }
}
