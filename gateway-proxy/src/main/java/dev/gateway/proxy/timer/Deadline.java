package dev.gateway.proxy.timer;

import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A timeout that is cheap to move. Scheduling and cancelling a task costs a priority-queue
 * operation on the event loop; connections that re-arm their limit on every request would pay that
 * twice per request. Here arming only writes a field while a check is already pending that runs no
 * later than the new deadline; the check re-schedules itself for what is left, and only a deadline
 * moved earlier than the pending check schedules another one (the superseded check then finds it
 * is not due and does nothing).
 *
 * <p>{@link #disarm()} leaves the pending check queued (cheap, for a deadline about to be armed
 * again); {@link #cancel()} removes it, so a closed connection is not kept reachable from the
 * event loop's timer queue until the check would have run.
 *
 * <p>Time is read from the executor's {@link Ticker}, so tests on an {@code EmbeddedChannel} can
 * move it. Not thread-safe: use it from the event loop that runs {@code executor}.
 */
public final class Deadline {

    /** Deadlines with a check queued on an event loop, gateway-wide: a timer leak shows as growth. */
    private static final LongAdder QUEUED = new LongAdder();

    private final EventExecutor executor;
    private final Ticker ticker;
    private final Runnable onExpiry;
    private final Runnable check = this::check;
    private boolean armed;
    private long deadline;
    /** When the pending check runs; meaningful only while {@code pending != null}. */
    private long checkAt;
    private ScheduledFuture<?> pending;

    public Deadline(EventExecutor executor, Runnable onExpiry) {
        this.executor = executor;
        this.ticker = tickerOf(executor);
        this.onExpiry = onExpiry;
    }

    /** How many deadlines have a check in an event loop's timer queue now (a gauge, not exact under concurrency). */
    public static long queuedChecks() {
        return QUEUED.sum();
    }

    /** The executor's clock: what deadlines on it are measured with. */
    public static Ticker tickerOf(EventExecutor executor) {
        return executor instanceof AbstractScheduledEventExecutor
                ? ((AbstractScheduledEventExecutor) executor).ticker()
                : Ticker.systemTicker();
    }

    /** Now, on this deadline's clock. */
    public long now() {
        return ticker.nanoTime();
    }

    /** Expires {@code nanos} from now, unless moved or disarmed before. */
    public void arm(long nanos) {
        long now = ticker.nanoTime();
        armed = true;
        deadline = now + nanos;
        if (pending == null) {
            schedule(now, nanos);
        } else if (deadline - checkAt < 0) {
            pending.cancel(false); // moved earlier: one queued check at a time
            schedule(now, nanos);
        }
    }

    public void disarm() {
        armed = false;
    }

    public boolean isArmed() {
        return armed;
    }

    /** Disarms and drops the pending check from the executor's queue. */
    public void cancel() {
        armed = false;
        ScheduledFuture<?> task = pending;
        pending = null;
        if (task != null) {
            QUEUED.decrement();
            task.cancel(false);
        }
    }

    private void schedule(long now, long delay) {
        checkAt = now + delay;
        if (pending == null) {
            QUEUED.increment();
        }
        pending = executor.schedule(check, delay, TimeUnit.NANOSECONDS);
    }

    private void check() {
        long now = ticker.nanoTime();
        if (pending == null || now - checkAt < 0) {
            return; // cancelled, or run early by the executor's clock granularity: the pending one follows
        }
        pending = null;
        QUEUED.decrement();
        if (!armed) {
            return;
        }
        long left = deadline - now;
        if (left > 0) {
            schedule(now, left);
            return;
        }
        armed = false;
        onExpiry.run();
    }
}
