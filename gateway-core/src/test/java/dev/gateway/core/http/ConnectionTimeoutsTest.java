package dev.gateway.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The four connection limits on an EmbeddedChannel whose clock the test moves. */
class ConnectionTimeoutsTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final ConnectionTimeouts timeouts = new ConnectionTimeouts(75 * SECOND, 10 * SECOND, 60 * SECOND,
            60 * SECOND);
    private final Expiry expiry = new Expiry();
    private final EmbeddedChannel channel = new EmbeddedChannel(timeouts);

    private static final class Expiry implements ConnectionTimeouts.Expiry {
        boolean owes = true;
        int bodyTimeouts;
        int sendTimeouts;

        @Override
        public boolean clientOwesBody() {
            return owes;
        }

        @Override
        public void bodyTimedOut() {
            bodyTimeouts++;
        }

        @Override
        public void sendTimedOut() {
            sendTimeouts++;
        }
    }

    ConnectionTimeoutsTest() {
        timeouts.expiry(expiry);
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private void advance(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    private void receive(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
        ReferenceCountUtil.release(channel.readInbound()); // passed on to the decoder, here the test
    }

    @Test
    void anIdleConnectionClosesAfterIdleTimeout() {
        timeouts.awaitHead();
        advance(74);
        assertThat(channel.isActive()).isTrue();
        advance(1);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aHeadThatTricklesInClosesAfterHeaderTimeoutWhateverItsPace() {
        timeouts.awaitHead();
        advance(70);
        for (int i = 0; i < 9; i++) {
            receive("G"); // one byte a second: slowloris
            advance(1);
        }
        assertThat(channel.isActive()).isTrue();
        advance(1);
        assertThat(channel.isActive()).as("10 s after the first byte").isFalse();
    }

    @Test
    void aSilentClientOwingBodyBytesTimesOutAfterBodyTimeout() {
        timeouts.headReceived();
        timeouts.readingBody();
        advance(30);
        receive("0123456789");
        advance(59);
        assertThat(expiry.bodyTimeouts).as("silence counts from the last byte").isZero();
        advance(1);
        assertThat(expiry.bodyTimeouts).isOne();
        assertThat(channel.isActive()).as("the exchange decides, not the timer").isTrue();
    }

    @Test
    void timeTheGatewayIsNotReadingDoesNotCount() {
        timeouts.headReceived();
        timeouts.readingBody();
        expiry.owes = false; // everything sent is queued, or the socket is paused by the gateway
        advance(300);
        assertThat(expiry.bodyTimeouts).isZero();
        expiry.owes = true;
        advance(59);
        assertThat(expiry.bodyTimeouts).isZero();
        advance(61);
        assertThat(expiry.bodyTimeouts).isOne();
    }

    @Test
    void theBodyLimitEndsWithTheBody() {
        timeouts.headReceived();
        timeouts.readingBody();
        timeouts.bodyDone();
        advance(600);
        assertThat(expiry.bodyTimeouts).isZero();
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void aClientThatTakesNoResponseBytesTimesOutAfterSendTimeout() {
        timeouts.headReceived();
        timeouts.responseStarted();
        channel.write(Unpooled.copiedBuffer("unflushed bytes the client never takes", StandardCharsets.US_ASCII));
        advance(60);
        advance(60);
        assertThat(expiry.sendTimeouts).isOne();
    }

    @Test
    void nothingWaitingForTheClientIsNotASendTimeout() {
        timeouts.headReceived();
        timeouts.responseStarted(); // the target is slow: nothing to send yet
        advance(600);
        assertThat(expiry.sendTimeouts).isZero();
        timeouts.responseDone();
    }

    @Test
    void aClosedConnectionLeavesNoTimerQueued() {
        timeouts.awaitHead();
        timeouts.responseStarted();
        assertThat(channel.runScheduledPendingTasks()).isNotEqualTo(-1);
        channel.close();
        assertThat(channel.runScheduledPendingTasks()).as("no check queued").isEqualTo(-1);
    }
}
