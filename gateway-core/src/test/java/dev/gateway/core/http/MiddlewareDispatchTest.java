package dev.gateway.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link MiddlewareDispatchBenchmark} measures answers as it should, many times on one connection. */
class MiddlewareDispatchTest {

    @ParameterizedTest
    @ValueSource(strings = {"none", "access", "cors", "all"})
    void everyModeRedirectsOnAKeptAliveConnection(String middleware) throws Exception {
        EmbeddedChannel channel = MiddlewareDispatchBenchmark.connection(middleware);
        ByteBuf request = Unpooled.copiedBuffer(MiddlewareDispatchBenchmark.REQUEST, StandardCharsets.US_ASCII);
        try {
            for (int i = 0; i < 1000; i++) {
                assertThat(MiddlewareDispatchBenchmark.exchange(channel, request)).as("status class").isEqualTo(3);
                channel.runPendingTasks();
            }
            assertThat(channel.isActive()).isTrue();
            assertThat(channel.pipeline().get(ClientPipeline.COMPRESSOR)).as("taken out after each exchange").isNull();
        } finally {
            request.release();
            channel.finishAndReleaseAll();
        }
    }
}
