package dev.gateway.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.config.RateLimitConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bounded table of buckets per key: its size limit and which buckets it forgets first. */
class RateLimitKeyTableTest {

    private static final HttpHeaders NO_HEADERS = new DefaultHttpHeaders();
    private static final int MAX_KEYS = 100;

    private final AtomicLong now = new AtomicLong();

    /** One token a minute, a burst of 5. */
    private RateLimiter limiter(String key) {
        return new RateLimiter("api", new RateLimitConfig(1, Duration.ofMinutes(1), 5, key), now.get(), MAX_KEYS);
    }

    private static String ip(int n) {
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    @Test
    void clientsRotatingAddressesNeverGrowTheTableBeyondItsLimit() {
        RateLimiter limiter = limiter("client_ip");
        int most = 0;
        for (int i = 0; i < 50_000; i++) {
            limiter.check(NO_HEADERS, ip(i), now.get());
            most = Math.max(most, limiter.trackedKeys());
            now.addAndGet(1_000);
        }
        assertThat(most).isEqualTo(MAX_KEYS);
        assertThat(limiter.trackedKeys()).isBetween(MAX_KEYS * 3 / 4, MAX_KEYS);
    }

    @Test
    void rotatingHeaderValuesAndMissingHeadersAreBoundedTableByTable() {
        RateLimiter limiter = limiter("header:X-Api-Key");
        for (int i = 0; i < 10_000; i++) {
            limiter.check(new DefaultHttpHeaders().add("X-Api-Key", "key-" + i), "10.0.0.1", now.get());
            limiter.check(NO_HEADERS, ip(i), now.get());
        }
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(2 * MAX_KEYS);
    }

    @Test
    void idleBucketsAreForgottenBeforeBucketsThatStillOweTokens() {
        RateLimiter limiter = limiter("client_ip");
        spendBurst(limiter, "192.0.2.1");
        for (int i = 1; i < MAX_KEYS; i++) {
            limiter.check(NO_HEADERS, ip(i), now.get());
        }
        now.addAndGet(TimeUnit.MINUTES.toNanos(2)); // the one-request keys are full again
        spendBurst(limiter, "192.0.2.1"); // the oldest key, and the only one that owes tokens
        for (int i = MAX_KEYS; i < 3 * MAX_KEYS; i++) {
            limiter.check(NO_HEADERS, ip(i), now.get());
        }
        assertThat(limiter.check(NO_HEADERS, "192.0.2.1", now.get())).as("still limited").isPositive();
    }

    @Test
    void underKeyRotationTheKeysOwingTheMostAreForgottenLast() {
        RateLimiter limiter = limiter("client_ip");
        spendBurst(limiter, "192.0.2.1");
        for (int i = 0; i < 20 * MAX_KEYS; i++) {
            assertThat(limiter.check(NO_HEADERS, ip(i), now.get())).as("a new key starts with a full bucket").isZero();
            limiter.check(NO_HEADERS, ip(i), now.get()); // each rotating key owes 2 tokens, the heavy user 6
        }
        assertThat(limiter.check(NO_HEADERS, "192.0.2.1", now.get())).as("the heavy user is still limited").isPositive();
        long startingOver = java.util.stream.IntStream.range(0, 10).filter(i -> limiter.check(NO_HEADERS, ip(i), now.get()) == 0).count();
        assertThat(startingOver).as("forgotten keys start over with a full bucket").isPositive();
        assertThat(limiter.trackedKeys()).isLessThanOrEqualTo(MAX_KEYS);
    }

    private void spendBurst(RateLimiter limiter, String clientIp) {
        while (limiter.check(NO_HEADERS, clientIp, now.get()) == 0) {
            now.addAndGet(1);
        }
    }
}
