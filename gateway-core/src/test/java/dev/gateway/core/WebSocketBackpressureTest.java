package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.testkit.Eventually;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebSocket whose client stops reading must stop its target, not fill the gateway. Runs with
 * SIMPLE leak detection (still failing on any leak) for the same reason as {@link LargeBodiesTest}.
 */
class WebSocketBackpressureTest {

    private static final long MB = 1024 * 1024;
    private static final long TOTAL = 64 * MB;
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    @BeforeAll
    static void sampledLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @AfterAll
    static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void aClientThatDoesNotReadPausesTheTargetUntilItReadsAgain() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (TestBackend backend = TestBackend.start(() -> firehose(sent));
             GatewayFixture gateway = GatewayFixture.start(dir, """
                     [[routes]]
                     path = "/ws/*"
                     websocket = true
                     targets = ["%s"]
                     """.formatted(backend.url()));
             RawConnection client = gateway.raw()) {
            client.send("GET /ws/firehose HTTP/1.1\r\nHost: gw\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(101);

            long[] last = {-1};
            long[] unchangedSince = {System.nanoTime()};
            Eventually.await("the target stopped sending", Duration.ofSeconds(60), () -> {
                long now = System.nanoTime();
                long current = sent.get();
                if (current != last[0]) {
                    last[0] = current;
                    unchangedSince[0] = now;
                    return false;
                }
                return now - unchangedSince[0] > Duration.ofSeconds(1).toNanos();
            });
            assertThat(sent.get()).as("bytes the target could send to a client that reads nothing")
                    .isLessThan(TOTAL / 2);

            assertThat(client.readExactly((int) TOTAL)).hasSize((int) TOTAL);
            assertThat(sent.get()).isEqualTo(TOTAL);
        }
    }

    /** Upgrades, then sends {@link #TOTAL} bytes as fast as its connection takes them. */
    private static ChannelHandler firehose(AtomicLong sent) {
        return new ChannelInboundHandlerAdapter() {
            private boolean upgraded;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                if (msg instanceof HttpRequest) {
                    ctx.pipeline().remove(HttpServerCodec.class);
                    ctx.write(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
                            StandardCharsets.US_ASCII));
                    upgraded = true;
                    pump(ctx);
                }
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (upgraded) {
                    pump(ctx);
                }
            }

            private void pump(ChannelHandlerContext ctx) {
                while (ctx.channel().isWritable() && sent.get() < TOTAL) {
                    ByteBuf chunk = ctx.alloc().buffer(CHUNK);
                    chunk.writeZero(CHUNK);
                    sent.addAndGet(CHUNK);
                    ctx.write(chunk);
                }
                ctx.flush();
            }
        };
    }
}
