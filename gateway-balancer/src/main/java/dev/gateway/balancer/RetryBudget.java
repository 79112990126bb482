package dev.gateway.balancer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Caps retries so they cannot multiply an outage (the idea of Finagle's and Envoy's retry budgets):
 * each request deposits {@code percent}% of a token, a steady {@code minPerSecond} tokens trickle in
 * on top, and each retry must withdraw a whole token. The balance is capped, so a quiet period does
 * not bank an unbounded burst. Lock-free: one CAS loop on a packed long.
 */
public final class RetryBudget {

    private static final long MILLI = 1000;

    private final long depositMilli;
    private final long refillMilliPerSecond;
    private final long capMilli;
    private final LongSupplier nanoTime;
    /** milli-tokens; refilled lazily from the time of the last update. */
    private final AtomicLong balance;
    private final AtomicLong lastRefill;

    public RetryBudget(int percent, int minPerSecond, LongSupplier nanoTime) {
        this.depositMilli = percent * MILLI / 100;
        this.refillMilliPerSecond = minPerSecond * MILLI;
        this.capMilli = Math.max(10, minPerSecond * 10L) * MILLI;
        this.nanoTime = nanoTime;
        this.balance = new AtomicLong(refillMilliPerSecond);
        this.lastRefill = new AtomicLong(nanoTime.getAsLong());
    }

    /** Default budget: 20% of requests, and at least 3 retries a second. */
    public static RetryBudget standard() {
        return new RetryBudget(20, 3, System::nanoTime);
    }

    /** Called once per original request. */
    public void deposit() {
        add(depositMilli);
    }

    /** Takes a token for one retry; false when the budget is spent. */
    public boolean tryWithdraw() {
        refill();
        while (true) {
            long current = balance.get();
            if (current < MILLI) {
                return false;
            }
            if (balance.compareAndSet(current, current - MILLI)) {
                return true;
            }
        }
    }

    /**
     * Converts the time since the last refill into whole milli-tokens, and moves the refill mark only
     * by the time actually converted, so frequent calls do not round the trickle away. A long quiet
     * period is clamped (the balance is capped anyway) so the arithmetic cannot overflow.
     */
    private void refill() {
        if (refillMilliPerSecond == 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        long last = lastRefill.get();
        long elapsed = now - last;
        long nanosPerMilliToken = 1_000_000_000L / refillMilliPerSecond;
        if (elapsed < nanosPerMilliToken) {
            return;
        }
        long maxUseful = (capMilli + 1) * nanosPerMilliToken;
        long milli = Math.min(elapsed, maxUseful) / nanosPerMilliToken;
        long next = elapsed > maxUseful ? now : last + milli * nanosPerMilliToken;
        if (lastRefill.compareAndSet(last, next)) {
            add(milli);
        }
    }

    private void add(long milli) {
        while (true) {
            long current = balance.get();
            long next = Math.min(capMilli, current + milli);
            if (next == current || balance.compareAndSet(current, next)) {
                return;
            }
        }
    }
}
