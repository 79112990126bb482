package dev.gateway.proxy.timer;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A timeout that is cheap to move. Scheduling and cancelling a task costs a priority-queue
 * operation on the event loop; connections that re-arm their limit on every request would pay that
 * twice per request. Here arming only writes a field while a check is already pending that runs no
 * later than the new deadline; the check re-schedules itself for what is left, and only a deadline
 * moved earlier than the pending check schedules another one (the superseded check then finds it
 * is not due and does nothing).
 *
 * <p>Not thread-safe: use it from the event loop that runs {@code executor}.
 */
public final class Deadline {

    private final EventExecutor executor;
    private final Runnable onExpiry;
    private final Runnable check = this::check;
    private boolean armed;
    private long deadline;
    /** When the pending check runs (System.nanoTime); meaningful only while {@code checkPending}. */
    private long checkAt;
    private boolean checkPending;

    public Deadline(EventExecutor executor, Runnable onExpiry) {
        this.executor = executor;
        this.onExpiry = onExpiry;
    }

    /** Expires {@code nanos} from now, unless moved or disarmed before. */
    public void arm(long nanos) {
        long now = System.nanoTime();
        armed = true;
        deadline = now + nanos;
        if (!checkPending || deadline - checkAt < 0) {
            schedule(now, nanos);
        }
    }

    public void disarm() {
        armed = false;
    }

    private void schedule(long now, long delay) {
        checkPending = true;
        checkAt = now + delay;
        executor.schedule(check, delay, TimeUnit.NANOSECONDS);
    }

    private void check() {
        long now = System.nanoTime();
        if (!checkPending || now - checkAt < 0) {
            return; // superseded by an earlier check that already ran, or a later one still pending
        }
        checkPending = false;
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
