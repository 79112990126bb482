package dev.gateway.core.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.config.RateLimitConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several event loops spending the same buckets at once: no token is spent twice, none is lost. */
class RateLimitConcurrencyTest {

    private static final HttpHeaders NO_HEADERS = new DefaultHttpHeaders();
    private static final int THREADS = 4;

    private final AtomicLong now = new AtomicLong(42);
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void onAFrozenClockExactlyTheBurstIsAdmitted() throws Exception {
        RateLimiter limiter = new RateLimiter("api", new RateLimitConfig(1, Duration.ofHours(1), 1_000, "client_ip"),
                now.get(), 100);
        long admitted = onAllThreads(20_000, i -> limiter.check(NO_HEADERS, "10.0.0.1", now.get()) == 0 ? 1 : 0);
        assertThat(admitted).isEqualTo(1_000);
        assertThat(limiter.rejected()).isEqualTo(THREADS * 20_000L - 1_000);
    }

    @Test
    void onAMovingClockNeverMoreThanTheBurstPlusTheRefillIsAdmitted() throws Exception {
        long start = now.get();
        // 1,000 per second: one token per millisecond, and a burst of 50.
        RateLimiter limiter = new RateLimiter("api", new RateLimitConfig(1_000, Duration.ofSeconds(1), 50, "global"),
                now.get(), 100);
        long admitted = onAllThreads(50_000, i -> {
            now.addAndGet(10_000); // each attempt moves the clock 10 us: 200,000 attempts span 2 s
            return limiter.check(NO_HEADERS, "10.0.0.1", now.get()) == 0 ? 1 : 0;
        });
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(now.get() - start);
        assertThat(admitted).isLessThanOrEqualTo(50 + elapsedMillis).isGreaterThan(elapsedMillis / 2);
    }

    @Test
    void threadsAddingNewKeysKeepTheTableBounded() throws Exception {
        RateLimiter limiter = new RateLimiter("api", new RateLimitConfig(1, Duration.ofMinutes(1), 1, "client_ip"),
                now.get(), 1_000);
        AtomicLong most = new AtomicLong();
        AtomicLong next = new AtomicLong();
        onAllThreads(25_000, i -> {
            long n = next.incrementAndGet();
            limiter.check(NO_HEADERS, "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255), now.get());
            most.accumulateAndGet(limiter.trackedKeys(), Math::max);
            return 0;
        });
        // the hard ceiling while another thread prunes, plus one insert in flight per thread
        assertThat(most.get()).isLessThanOrEqualTo(1_000 + 1_000 / 4 + THREADS);
    }

    /** Runs {@code attempt} {@code times} on each thread, all starting together; returns the sum of its results. */
    private long onAllThreads(int times, IntUnaryOperator attempt) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<Long>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Callable<Long> task = () -> {
                start.await();
                long sum = 0;
                for (int i = 0; i < times; i++) {
                    sum += attempt.applyAsInt(i);
                }
                return sum;
            };
            results.add(pool.submit(task));
        }
        long total = 0;
        for (Future<Long> result : results) {
            total += result.get(60, TimeUnit.SECONDS);
        }
        return total;
    }
}
