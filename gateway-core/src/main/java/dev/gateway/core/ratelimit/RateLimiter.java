package dev.gateway.core.ratelimit;

import dev.gateway.config.RateLimitConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A route's {@code rate_limit}: a token bucket ({@link Gcra}) per key, checked before the request
 * is served or forwarded; an empty bucket answers 429 with Retry-After.
 *
 * <p>Keys: {@code client_ip} is the connection's peer address, the same address the access log
 * shows and X-Forwarded-For gets; {@code global} is one bucket for the route; {@code header:NAME}
 * is the header's (first) value. A request without that header, with an empty value or with one
 * longer than {@value #MAX_KEY_LENGTH} characters is limited by its client address instead, in
 * buckets of its own, so leaving the header out does not escape the limit (nginx and Envoy do not
 * limit such requests at all) and a header value cannot spend another client's address bucket.
 *
 * <p>Each key table holds at most {@code maxKeys} buckets ({@link BucketTable}). The limiter is
 * owned by its route and keeps no reference to the rest of the configuration, so a reload may hand
 * it to the new route when the route's {@link #config()} is unchanged.
 */
public final class RateLimiter {

    /** Buckets per key table and route: about 12 MB of IPv4 addresses at most (nginx: 10m zone ~ 160,000). */
    static final int DEFAULT_MAX_KEYS = 100_000;
    /** Longer header values are not stored as keys (see the class comment). */
    static final int MAX_KEY_LENGTH = 128;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final RateLimitConfig config;
    private final Gcra gcra;
    /** The only bucket for {@code key = "global"}, else null. */
    private final AtomicLong global;
    /** The header named by {@code key = "header:NAME"}, else null. */
    private final AsciiString header;
    private final BucketTable byHeader;
    private final BucketTable byClientIp;
    private final LongAdder rejected = new LongAdder();

    /** @param nowNanos the current {@link System#nanoTime}: the global bucket starts full */
    RateLimiter(String route, RateLimitConfig config, long nowNanos, int maxKeys) {
        this.config = config;
        this.gcra = new Gcra(config.rate(), config.per(), config.burst());
        String key = config.key();
        this.global = key.equals("global") ? new AtomicLong(nowNanos) : null;
        this.header = key.startsWith("header:") ? AsciiString.cached(key.substring("header:".length())) : null;
        this.byHeader = header != null ? new BucketTable("route " + route + " (key " + key + ")", maxKeys) : null;
        this.byClientIp = global == null ? new BucketTable("route " + route + " (client addresses)", maxKeys) : null;
    }

    public static RateLimiter forRoute(String route, RateLimitConfig config) {
        return new RateLimiter(route, config, System.nanoTime(), DEFAULT_MAX_KEYS);
    }

    /**
     * Takes a token from the request's bucket.
     *
     * @param now the current {@link System#nanoTime}; the caller has usually read it already (the
     *     request's start), and tests pass a fake one
     * @return 0 when the request may pass, else how long until its bucket has a token (nanoseconds)
     */
    public long check(HttpHeaders headers, String clientIp, long now) {
        long wait = gcra.acquire(bucket(headers, clientIp, now), now);
        if (wait != 0) {
            rejected.increment();
        }
        return wait;
    }

    private AtomicLong bucket(HttpHeaders headers, String clientIp, long now) {
        if (global != null) {
            return global;
        }
        if (header != null) {
            String value = headers.get(header);
            if (value != null && !value.isEmpty() && value.length() <= MAX_KEY_LENGTH) {
                return byHeader.bucket(value, now);
            }
        }
        return byClientIp.bucket(clientIp, now);
    }

    /** Retry-After for a wait: whole seconds, rounded up, at least 1. */
    public static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, waitNanos / NANOS_PER_SECOND + (waitNanos % NANOS_PER_SECOND > 0 ? 1 : 0));
    }

    /** Requests answered 429 so far (for metrics). */
    public long rejected() {
        return rejected.sum();
    }

    /** Keys currently tracked, over both tables. */
    int trackedKeys() {
        return (byHeader == null ? 0 : byHeader.size()) + (byClientIp == null ? 0 : byClientIp.size());
    }

    public RateLimitConfig config() {
        return config;
    }
}
