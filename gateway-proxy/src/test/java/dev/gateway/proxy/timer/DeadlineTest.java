package dev.gateway.proxy.timer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.testkit.Eventually;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deadlines on one event loop. Checks that something has not fired yet use a second deadline due
 * later on the same loop as the clock: the loop runs due tasks in time order.
 */
class DeadlineTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final EventLoop loop = new DefaultEventLoop();
    private final AtomicInteger fired = new AtomicInteger();
    private final AtomicInteger clock = new AtomicInteger();
    private final Deadline deadline = new Deadline(loop, fired::incrementAndGet);
    private final Deadline marker = new Deadline(loop, clock::incrementAndGet);

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void onLoop(Runnable action) {
        loop.submit(action).syncUninterruptibly();
    }

    @Test
    void firesOnceAfterTheDeadline() {
        onLoop(() -> deadline.arm(50 * MS));
        Eventually.await("deadline fired", () -> fired.get() == 1);
        onLoop(() -> marker.arm(100 * MS));
        Eventually.await("marker fired", () -> clock.get() == 1);
        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void disarmedDeadlineNeverFires() {
        onLoop(() -> {
            deadline.arm(50 * MS);
            deadline.disarm();
            marker.arm(150 * MS);
        });
        Eventually.await("marker fired", () -> clock.get() == 1);
        assertThat(fired.get()).isZero();
    }

    @Test
    void movingTheDeadlineEarlierIsHonoured() {
        onLoop(() -> {
            deadline.arm(TimeUnit.SECONDS.toNanos(60));
            deadline.arm(50 * MS);
        });
        Eventually.await("fired long before the first deadline", Duration.ofSeconds(20), () -> fired.get() == 1);
    }

    @Test
    void movingTheDeadlineLaterPostponesIt() {
        onLoop(() -> {
            deadline.arm(50 * MS);
            deadline.arm(400 * MS);
            marker.arm(150 * MS);
        });
        Eventually.await("marker fired", () -> clock.get() == 1);
        assertThat(fired.get()).as("not at the old deadline").isZero();
        Eventually.await("fired at the new deadline", () -> fired.get() == 1);
    }

    @Test
    void cancelLeavesNothingInTheTimerQueue() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Deadline hourLong = new Deadline(channel.eventLoop(), fired::incrementAndGet);
        hourLong.arm(TimeUnit.HOURS.toNanos(1));
        assertThat(channel.runScheduledPendingTasks()).as("a check is queued").isNotEqualTo(-1);
        hourLong.cancel();
        assertThat(channel.runScheduledPendingTasks()).as("nothing queued after cancel").isEqualTo(-1);
        assertThat(hourLong.isArmed()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void movingEarlierKeepsOneCheckQueued() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Deadline moved = new Deadline(channel.eventLoop(), fired::incrementAndGet);
        moved.arm(TimeUnit.HOURS.toNanos(1));
        moved.arm(TimeUnit.SECONDS.toNanos(10));
        channel.advanceTimeBy(10, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired.get()).isEqualTo(1);
        assertThat(channel.runScheduledPendingTasks()).as("the hour-long check was dropped").isEqualTo(-1);
        channel.finishAndReleaseAll();
    }

    @Test
    void followsTheExecutorsClock() {
        EmbeddedChannel channel = new EmbeddedChannel();
        Deadline onChannel = new Deadline(channel.eventLoop(), fired::incrementAndGet);
        onChannel.arm(TimeUnit.SECONDS.toNanos(30));
        channel.advanceTimeBy(29, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired.get()).isZero();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(fired.get()).isEqualTo(1);
        channel.finishAndReleaseAll();
    }

    /** The gauge behind gateway_timer_queued: one per deadline with a check queued, whatever it was moved to. */
    @Test
    void queuedChecksCountDeadlinesWithACheckWaiting() {
        long before = Deadline.queuedChecks();
        onLoop(() -> {
            deadline.arm(TimeUnit.SECONDS.toNanos(60));
            deadline.arm(TimeUnit.SECONDS.toNanos(90));   // later: the queued check stays
            deadline.arm(TimeUnit.SECONDS.toNanos(30));   // earlier: replaced, still one
            marker.arm(TimeUnit.SECONDS.toNanos(60));
        });
        assertThat(Deadline.queuedChecks() - before).isEqualTo(2);
        onLoop(marker::cancel);
        assertThat(Deadline.queuedChecks() - before).isEqualTo(1);
        onLoop(() -> deadline.arm(10 * MS));
        Eventually.await("deadline fired", () -> fired.get() == 1);
        assertThat(Deadline.queuedChecks() - before).isZero();
    }
}
