package dev.gateway.balancer;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A passive breaker for one target, fed by real traffic. Closed, it trips on
 * {@code consecutive_failures} in a row, on {@code failure_rate}% failures or {@code slow_call_rate}%
 * slow calls over the last {@code window} calls (once {@code minimum_calls} were seen). Open, it
 * refuses requests for {@code open_duration}, doubled on each consecutive re-trip up to
 * {@code max_open_duration}. Then half-open, it lets {@code half_open_requests} trials through: all
 * succeed and it closes (the backoff resets), any fails and it opens again.
 *
 * <p>Admission and recording are lock-free and allocate nothing: the window is a ring of per-call
 * result bits with running counts, and state changes are compare-and-set, so exactly one thread
 * applies (and logs) each transition. Counts may be off by a call or two while calls race a
 * transition; that is the price of never blocking an event loop and does not change the decisions
 * that matter.
 */
public final class CircuitBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

    /**
     * Internal state between winning the trip and publishing the new open period: refuses like
     * OPEN, and lets exactly one thread (the one whose CAS won) write openUntil and the trial
     * counters before OPEN makes them visible.
     */
    private static final int OPENING = State.values().length;

    private static final int FAILED = 1;
    private static final int SLOW = 2;

    /** What a breaker currently does with requests. */
    public enum State {
        /** requests flow; outcomes are counted */
        CLOSED,
        /** requests are refused until {@link #openUntilNanos()} */
        OPEN,
        /** a few trial requests are let through to decide between closed and open */
        HALF_OPEN
    }

    private final String poolName;
    private final Target target;
    private final CircuitBreakerConfig config;
    private final EjectionCap cap;
    private final LongSupplier nanoTime;
    private final boolean[] failureStatus = new boolean[1000];
    private final long slowNanos;
    private final long openNanos;
    private final long maxOpenNanos;

    private final AtomicInteger state = new AtomicInteger(State.CLOSED.ordinal());
    private volatile long openUntil;
    /** consecutive trips without a successful half-open in between; sets the backoff */
    private final AtomicInteger trips = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicIntegerArray window;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicInteger failuresInWindow = new AtomicInteger();
    private final AtomicInteger slowInWindow = new AtomicInteger();
    private final AtomicInteger trialsIssued = new AtomicInteger();
    private final AtomicInteger trialsSucceeded = new AtomicInteger();

    CircuitBreaker(String poolName, Target target, CircuitBreakerConfig config, EjectionCap cap,
            LongSupplier nanoTime) {
        this.poolName = poolName;
        this.target = target;
        this.config = config;
        this.cap = cap;
        this.nanoTime = nanoTime;
        for (int status : config.failureStatuses()) {
            if (status >= 0 && status < failureStatus.length) {
                failureStatus[status] = true;
            }
        }
        this.slowNanos = config.slowCallDuration().toNanos();
        this.openNanos = Math.max(1, config.openDuration().toNanos());
        this.maxOpenNanos = Math.max(openNanos, config.maxOpenDuration().toNanos());
        this.window = new AtomicIntegerArray(Math.max(1, config.window()));
    }

    public State state() {
        int current = state.get();
        return current == OPENING ? State.OPEN : State.values()[current];
    }

    /** When an open breaker starts letting trial requests through (System.nanoTime scale). */
    public long openUntilNanos() {
        return openUntil;
    }

    /** Whether {@link #tryAdmit()} would let a request through now, without taking a trial permit. */
    public boolean wouldAdmit() {
        int current = state.get();
        if (current == State.CLOSED.ordinal()) {
            return true;
        }
        if (current == OPENING) {
            return false;
        }
        if (current == State.OPEN.ordinal()) {
            return nanoTime.getAsLong() - openUntil >= 0;
        }
        return trialsIssued.get() < config.halfOpenRequests();
    }

    /** Lets a request through, taking a trial permit when half-open; false while open. */
    public boolean tryAdmit() {
        int current = state.get();
        if (current == State.CLOSED.ordinal()) {
            return true;
        }
        if (current == OPENING) {
            return false;
        }
        if (current == State.OPEN.ordinal()) {
            if (nanoTime.getAsLong() - openUntil < 0) {
                return false;
            }
            if (state.compareAndSet(current, State.HALF_OPEN.ordinal())) {
                LOG.info("target {} of pool {} half-open: letting {} trial requests through", target.url(), poolName,
                        config.halfOpenRequests());
            } else if (state.get() != State.HALF_OPEN.ordinal()) {
                return state.get() == State.CLOSED.ordinal();
            }
        }
        while (true) {
            int issued = trialsIssued.get();
            if (issued >= config.halfOpenRequests()) {
                return false;
            }
            if (trialsIssued.compareAndSet(issued, issued + 1)) {
                return true;
            }
        }
    }

    /** Counts one attempt's outcome. */
    public void record(Outcome outcome) {
        Outcome.Kind kind = outcome.kind();
        int current = state.get();
        if (kind == Outcome.Kind.CANCELLED) {
            if (current == State.HALF_OPEN.ordinal()) {
                trialsIssued.decrementAndGet(); // the trial said nothing; let another one through
            }
            return;
        }
        boolean failed = kind != Outcome.Kind.RESPONSE
                || outcome.status() >= 0 && outcome.status() < failureStatus.length && failureStatus[outcome.status()];
        if (current == State.HALF_OPEN.ordinal()) {
            recordTrial(failed, outcome);
        } else if (current == State.CLOSED.ordinal()) {
            recordClosed(failed, outcome.latencyNanos() > slowNanos, outcome);
        }
        // open or opening: late outcomes of requests admitted before the trip say nothing new
    }

    private void recordTrial(boolean failed, Outcome outcome) {
        if (failed) {
            open(State.HALF_OPEN, Reason.TRIAL, 0, 0, outcome);
            return;
        }
        if (trialsSucceeded.incrementAndGet() < config.halfOpenRequests()) {
            return;
        }
        if (state.compareAndSet(State.HALF_OPEN.ordinal(), State.CLOSED.ordinal())) {
            publishClosedness();
            trips.set(0);
            clearWindow();
            cap.release();
            LOG.info("target {} of pool {} restored after {} successful trial requests", target.url(), poolName,
                    config.halfOpenRequests());
        }
    }

    private void recordClosed(boolean failed, boolean slow, Outcome outcome) {
        int consecutive = failed ? consecutiveFailures.incrementAndGet() : 0;
        if (!failed) {
            consecutiveFailures.set(0);
        }
        int bits = (failed ? FAILED : 0) | (slow ? SLOW : 0);
        int size = window.length();
        long call = calls.getAndIncrement();
        int old = window.getAndSet((int) (call % size), bits);
        int failures = failuresInWindow.addAndGet((bits & FAILED) - (old & FAILED));
        int slowCalls = slowInWindow.addAndGet(((bits & SLOW) - (old & SLOW)) >> 1);
        long seen = Math.min(call + 1, size);

        if (failed && consecutive >= config.consecutiveFailures()) {
            open(State.CLOSED, Reason.CONSECUTIVE, consecutive, 0, outcome);
        } else if (seen >= config.minimumCalls() && failures * 100L >= config.failureRate() * seen && failed) {
            open(State.CLOSED, Reason.FAILURE_RATE, failures, seen, outcome);
        } else if (seen >= config.minimumCalls() && slowCalls * 100L >= config.slowCallRate() * seen && slow) {
            open(State.CLOSED, Reason.SLOW_CALL_RATE, slowCalls, seen, outcome);
        }
    }

    /** The message is only built when logged, so a refused trip allocates nothing. */
    private void open(State from, Reason reason, long count, long seen, Outcome last) {
        if (from == State.CLOSED && !cap.tryAcquire()) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("target {} of pool {} not ejected after {}: max_ejected_percent {} reached", target.url(),
                        poolName, reason(reason, count, seen, last), config.maxEjectedPercent());
            }
            return;
        }
        if (!state.compareAndSet(from.ordinal(), OPENING)) {
            // another thread tripped (or closed) it first; it alone sets the open period
            if (from == State.CLOSED) {
                cap.release();
            }
            return;
        }
        int trip = trips.incrementAndGet();
        long duration = openNanos;
        for (int i = 1; i < trip && duration < maxOpenNanos; i++) {
            duration <<= 1;
        }
        duration = Math.min(duration, maxOpenNanos);
        trialsIssued.set(0);
        trialsSucceeded.set(0);
        openUntil = nanoTime.getAsLong() + duration;
        state.set(State.OPEN.ordinal()); // publishes openUntil and the reset counters with it
        if (from == State.CLOSED) {
            publishClosedness();
        }
        consecutiveFailures.set(0);
        LOG.info("target {} of pool {} ejected for {} after {}", target.url(), poolName,
                format(Duration.ofNanos(duration)), reason(reason, count, seen, last));
    }

    /**
     * Mirrors whether the breaker is closed into the target's flag, so strategies accept a closed
     * breaker's target without asking the breaker. Repeated until the state held still around the
     * write: a stale "closed" can then last only until the thread that opened the breaker publishes.
     * Called after opening from closed and after closing; the other transitions keep it not closed.
     */
    private void publishClosedness() {
        while (true) {
            int current = state.get();
            target.breakerClosed(current == State.CLOSED.ordinal());
            if (state.get() == current) {
                return;
            }
        }
    }

    private String reason(Reason reason, long count, long seen, Outcome last) {
        return switch (reason) {
            case TRIAL -> "a failed trial request (" + describe(last) + ")";
            case CONSECUTIVE -> count + " consecutive failures (last: " + describe(last) + ")";
            case FAILURE_RATE -> count + " failures in the last " + seen + " calls";
            case SLOW_CALL_RATE -> count + " of the last " + seen + " calls slower than "
                    + format(config.slowCallDuration());
        };
    }

    private void clearWindow() {
        for (int i = 0; i < window.length(); i++) {
            int old = window.getAndSet(i, 0);
            failuresInWindow.addAndGet(-(old & FAILED));
            slowInWindow.addAndGet(-((old & SLOW) >> 1));
        }
        calls.set(0);
        consecutiveFailures.set(0);
    }

    private static String describe(Outcome outcome) {
        return outcome.kind() == Outcome.Kind.RESPONSE
                ? "status " + outcome.status()
                : outcome.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0 && millis > 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    private enum Reason { TRIAL, CONSECUTIVE, FAILURE_RATE, SLOW_CALL_RATE }
}
