package dev.gateway.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read gate message by message, on an EmbeddedChannel, as Netty tests its own handlers. */
class ReadGateTest {

    private final ReadGate gate = new ReadGate();
    private final Recorder recorder = new Recorder();
    private final EmbeddedChannel channel = new EmbeddedChannel(gate, recorder);

    /** Records what reaches it; with {@code again} it asks for the next message while handling one. */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();
        final ByteBuf body = Unpooled.buffer();
        boolean again;
        int minDepth = Integer.MAX_VALUE;
        int maxDepth;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            int depth = Thread.currentThread().getStackTrace().length;
            minDepth = Math.min(minDepth, depth);
            maxDepth = Math.max(maxDepth, depth);
            if (msg instanceof HttpContent) {
                body.writeBytes(((HttpContent) msg).content());
            }
            seen.add(msg instanceof HttpRequest ? msg : msg.getClass());
            ReferenceCountUtil.release(msg);
            if (again) {
                gate.demand();
            }
        }
    }

    private static HttpRequest head(int n) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/item/" + n);
        request.headers().set("host", "example.com");
        return request;
    }

    @Test
    void deliversOneMessagePerDemand() {
        channel.writeInbound(head(1), head(2), head(3));
        assertThat(recorder.seen).isEmpty();
        gate.demand();
        assertThat(recorder.seen).hasSize(1);
        gate.demand();
        gate.demand();
        assertThat(recorder.seen).hasSize(3);
        gate.demand();
        channel.writeInbound(head(4));
        assertThat(recorder.seen).as("a demand made while empty takes the next arrival").hasSize(4);
        channel.finishAndReleaseAll();
        recorder.body.release();
    }

    @Test
    void queuedMessagesAreReplayedInALoopNotByRecursion() {
        for (int i = 0; i < 10_000; i++) {
            channel.writeInbound(head(i));
        }
        recorder.again = true;
        gate.demand();
        assertThat(recorder.seen).hasSize(10_000);
        assertThat(recorder.maxDepth - recorder.minDepth).as("stack depth grows with each replayed message")
                .isLessThan(20);
        channel.finishAndReleaseAll();
        recorder.body.release();
    }

    @Test
    void headsCountAgainstTheBoundSoPipelinedRequestsPauseTheSocket() {
        int written = 0;
        while (channel.config().isAutoRead()) {
            channel.writeInbound(head(written++));
            assertThat(written).as("paused before a megabyte of heads is queued").isLessThan(2_000);
        }
        assertThat(gate.queuedBytes()).isGreaterThanOrEqualTo(ReadGate.MAX_QUEUED_BYTES);
        assertThat(written).isLessThan(ReadGate.MAX_QUEUED_BYTES / ReadGate.MESSAGE_OVERHEAD + 1);
        recorder.again = false;
        while (!channel.config().isAutoRead()) {
            gate.demand();
        }
        assertThat(gate.queuedBytes()).isLessThan(ReadGate.MAX_QUEUED_BYTES / 2);
        channel.finishAndReleaseAll();
        recorder.body.release();
    }

    @Test
    void tinyChunksAreMergedWithoutChangingTheBytes() {
        channel.writeInbound(head(0));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String digit = Integer.toString(i % 10);
            expected.append(digit);
            channel.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer(digit, StandardCharsets.US_ASCII)));
        }
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("end", StandardCharsets.US_ASCII)));
        expected.append("end");
        assertThat(gate.queuedMessages()).as("10,000 one-byte chunks held in a few buffers").isLessThan(10);
        recorder.again = true;
        gate.demand();
        assertThat(recorder.body.toString(StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
        assertThat(recorder.seen.get(recorder.seen.size() - 1)).isEqualTo(DefaultLastHttpContent.class);
        channel.finishAndReleaseAll();
        recorder.body.release();
    }

    @Test
    void whatWaitsIsReleasedWhenTheConnectionCloses() {
        channel.writeInbound(head(1), new DefaultHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII)),
                new DefaultHttpContent(Unpooled.buffer(4096).writeZero(4096)));
        assertThat(gate.queuedMessages()).isPositive();
        channel.close();
        assertThat(gate.queuedMessages()).isZero();
        channel.finishAndReleaseAll();
        recorder.body.release();
    }
}
