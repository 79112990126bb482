package dev.gateway.proxy;

import dev.gateway.balancer.RetryBudget;
import dev.gateway.balancer.targets.Outcome;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Whether a failed attempt of one request is tried again (docs/architecture.md, "Retries").
 *
 * <p>Only before any response byte went to the client (the caller checks that), only when the body
 * sent so far can be sent again ({@link RequestBodyRelay} keeps a small one), never after a timeout
 * (the target may still be working on it), and only for idempotent methods unless the target never
 * saw the request (no connection, or an HTTP/2 stream it refused). A reused keep-alive connection
 * that failed with a reset gets one extra attempt on a fresh connection (the target may have closed
 * it while it sat idle). Other retries count against the route's {@code retries}, wait an
 * exponential backoff with full jitter, and need a token from the pool's retry budget, except when
 * the target never saw the request: that put no load on anyone.
 */
final class RetryPolicy {

    /** What to do after a failed attempt. */
    enum Decision {
        /** answer with the error */
        GIVE_UP,
        /** try again now, on a fresh connection to the same kind of selection */
        FRESH_CONNECTION,
        /** try again after {@link #backoffNanos}, preferring a target not tried yet */
        RETRY_AFTER_BACKOFF
    }

    private static final long BACKOFF_BASE_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long BACKOFF_CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

    private final boolean idempotent;
    private final RetryBudget budget;
    private int retriesLeft;
    private boolean freshConnectionUsed;

    RetryPolicy(HttpMethod method, int retries, RetryBudget budget) {
        this.idempotent = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
                || method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.TRACE;
        this.retriesLeft = retries;
        this.budget = budget;
    }

    /** @param bodyConsumed body bytes went to a target that cannot be sent again */
    Decision decide(Outcome.Kind kind, boolean reusedConnection, boolean bodyConsumed) {
        if (bodyConsumed || kind == Outcome.Kind.TIMEOUT) {
            return Decision.GIVE_UP;
        }
        // RFC 9113 §8.7: a refused stream was not processed, so even a POST can be sent again
        boolean neverReachedTarget = kind == Outcome.Kind.CONNECT_FAILURE || kind == Outcome.Kind.CONNECT_TIMEOUT
                || kind == Outcome.Kind.REFUSED;
        if (!idempotent && !neverReachedTarget) {
            return Decision.GIVE_UP;
        }
        if (reusedConnection && !freshConnectionUsed && kind == Outcome.Kind.RESET) {
            freshConnectionUsed = true;
            return Decision.FRESH_CONNECTION;
        }
        if (retriesLeft > 0 && (neverReachedTarget || budget.tryWithdraw())) {
            retriesLeft--;
            return Decision.RETRY_AFTER_BACKOFF;
        }
        return Decision.GIVE_UP;
    }

    /** Full jitter: uniformly random up to 25 ms doubled per attempt so far, capped at 1 s. */
    static long backoffNanos(int attempts) {
        long ceiling = Math.min(BACKOFF_CAP_NANOS, BACKOFF_BASE_NANOS << Math.min(attempts, 20));
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
