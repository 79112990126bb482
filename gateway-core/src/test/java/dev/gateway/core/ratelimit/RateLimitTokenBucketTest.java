package dev.gateway.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.config.RateLimitConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket of one route's rate limit, on a fake clock: burst, refill, steady rate, Retry-After, keys. */
class RateLimitTokenBucketTest {

    private static final HttpHeaders NO_HEADERS = new DefaultHttpHeaders();
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Any origin: nanoTime values are only compared by difference. */
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - 5_000 * MS);

    private RateLimiter limiter(long rate, Duration per, long burst, String key) {
        return new RateLimiter("api", new RateLimitConfig(rate, per, burst, key), now.get(), 1000);
    }

    private static HttpHeaders header(String name, String value) {
        return new DefaultHttpHeaders().add(name, value);
    }

    @Test
    void aFullBucketAdmitsTheBurstAtOnceThenOneRequestPerInterval() {
        RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 5, "client_ip");
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).as("request %d", i).isZero();
        }
        assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isEqualTo(100 * MS);
        now.addAndGet(40 * MS);
        assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isEqualTo(60 * MS);
        now.addAndGet(60 * MS);
        assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isZero();
        assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isEqualTo(100 * MS);
        assertThat(limiter.rejected()).isEqualTo(3);
    }

    @Test
    void requestsAtTheConfiguredRateAreNeverRejected() {
        RateLimiter limiter = limiter(100, Duration.ofSeconds(1), 1, "client_ip");
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).as("request %d", i).isZero();
            now.addAndGet(10 * MS);
        }
        assertThat(limiter.rejected()).isZero();
    }

    @Test
    void twiceTheRateIsHalfRejectedOnceTheBurstIsSpent() {
        RateLimiter limiter = limiter(100, Duration.ofSeconds(1), 20, "client_ip");
        int admitted = 0;
        for (int i = 0; i < 2_000; i++) {
            if (limiter.check(NO_HEADERS, "10.0.0.1", now.get()) == 0) {
                admitted++;
            }
            now.addAndGet(5 * MS);
        }
        // the burst the bucket started with, plus one token per 10 ms until the last request at 9,995 ms
        assertThat(admitted).isEqualTo(20 + 999);
    }

    @Test
    void anIdleBucketRefillsUpToTheBurstAndNoFurther() {
        RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 3, "client_ip");
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isZero();
        }
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        int admitted = 0;
        while (limiter.check(NO_HEADERS, "10.0.0.1", now.get()) == 0) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(3);
    }

    @Test
    void theIntervalBetweenTokensIsRoundedToTheNearestNanosecond() {
        RateLimiter limiter = limiter(3, Duration.ofSeconds(1), 1, "client_ip");
        assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isZero();
        assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isEqualTo(333_333_333L);
        RateLimiter twoThirds = limiter(3, Duration.ofSeconds(2), 1, "client_ip");
        assertThat(twoThirds.check(NO_HEADERS, "10.0.0.1", now.get())).isZero();
        assertThat(twoThirds.check(NO_HEADERS, "10.0.0.1", now.get())).isEqualTo(666_666_667L);
    }

    @Test
    void retryAfterIsTheWaitInWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(RateLimiter.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(RateLimiter.retryAfterSeconds(999 * MS)).isEqualTo(1);
        assertThat(RateLimiter.retryAfterSeconds(1000 * MS)).isEqualTo(1);
        assertThat(RateLimiter.retryAfterSeconds(1001 * MS)).isEqualTo(2);
        RateLimiter perMinute = limiter(1, Duration.ofMinutes(1), 1, "client_ip");
        perMinute.check(NO_HEADERS, "10.0.0.1", now.get());
        now.addAndGet(15_500 * MS);
        assertThat(RateLimiter.retryAfterSeconds(perMinute.check(NO_HEADERS, "10.0.0.1", now.get()))).isEqualTo(45);
    }

    @Test
    void eachClientAddressHasItsOwnBucket() {
        RateLimiter limiter = limiter(1, Duration.ofMinutes(1), 2, "client_ip");
        limiter.check(NO_HEADERS, "10.0.0.1", now.get());
        limiter.check(NO_HEADERS, "10.0.0.1", now.get());
        assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isPositive();
        assertThat(limiter.check(NO_HEADERS, "10.0.0.2", now.get())).isZero();
        assertThat(limiter.check(NO_HEADERS, "2001:db8:0:0:0:0:0:1", now.get())).isZero();
        assertThat(limiter.check(header("X-Api-Key", "other"), "10.0.0.1", now.get())).as("headers do not matter").isPositive();
    }

    @Test
    void aHeaderKeyLimitsEachValueSeparatelyWhateverTheAddress() {
        RateLimiter limiter = limiter(1, Duration.ofMinutes(1), 1, "header:X-Api-Key");
        assertThat(limiter.check(header("X-Api-Key", "alice"), "10.0.0.1", now.get())).isZero();
        assertThat(limiter.check(header("x-api-key", "alice"), "10.0.0.2", now.get())).as("header names are case-insensitive").isPositive();
        assertThat(limiter.check(header("X-Api-Key", "bob"), "10.0.0.1", now.get())).isZero();
        assertThat(limiter.check(header("X-Api-Key", "Alice"), "10.0.0.1", now.get())).as("values are case-sensitive").isZero();
    }

    @Test
    void requestsWithoutTheKeyHeaderAreLimitedByClientAddressInBucketsOfTheirOwn() {
        RateLimiter limiter = limiter(1, Duration.ofMinutes(1), 1, "header:X-Api-Key");
        assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isZero();
        assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isPositive();
        assertThat(limiter.check(header("X-Api-Key", ""), "10.0.0.1", now.get())).as("an empty value").isPositive();
        assertThat(limiter.check(header("X-Api-Key", "k".repeat(RateLimiter.MAX_KEY_LENGTH + 1)), "10.0.0.1", now.get()))
                .as("a value too long to keep").isPositive();
        assertThat(limiter.check(NO_HEADERS, "10.0.0.2", now.get())).isZero();
        assertThat(limiter.check(header("X-Api-Key", "10.0.0.3"), "10.0.0.9", now.get())).isZero();
        assertThat(limiter.check(NO_HEADERS, "10.0.0.3", now.get())).as("a header value never spends an address's bucket").isZero();
        assertThat(limiter.check(header("X-Api-Key", "k".repeat(RateLimiter.MAX_KEY_LENGTH)), "10.0.0.1", now.get())).isZero();
    }

    @Test
    void aGlobalKeySharesOneBucketAmongAllClients() {
        RateLimiter limiter = limiter(1, Duration.ofMinutes(1), 2, "global");
        assertThat(limiter.check(NO_HEADERS, "10.0.0.1", now.get())).isZero();
        assertThat(limiter.check(header("X-Api-Key", "a"), "10.0.0.2", now.get())).isZero();
        assertThat(limiter.check(NO_HEADERS, "10.0.0.3", now.get())).isPositive();
        assertThat(limiter.trackedKeys()).isZero();
    }
}
