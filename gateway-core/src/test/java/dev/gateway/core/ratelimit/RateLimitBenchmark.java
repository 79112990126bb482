package dev.gateway.core.ratelimit;

import dev.gateway.config.RateLimitConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The rate-limit check of a request whose key is already tracked, among 10,000 tracked keys: once
 * with a limit it never reaches (admitted) and once with its bucket spent (rejected, counted). The time is passed in, as the gateway passes the request's start time, and
 * moves on 100 ns per call. Run by scripts/microbench.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RateLimitBenchmark {

    private static final int KEYS = 10_000;

    @Param({"client_ip", "header:X-Api-Key", "global"})
    public String key;

    @Param({"admitted", "rejected"})
    public String outcome;

    private RateLimiter limiter;
    private HttpHeaders headers;
    private String clientIp;
    private long now;

    @Setup
    public void setUp() {
        boolean admitted = outcome.equals("admitted");
        RateLimitConfig config = admitted
                ? new RateLimitConfig(1_000_000_000, Duration.ofSeconds(1), 1_000_000_000, key)
                : new RateLimitConfig(1, Duration.ofHours(1), 1, key);
        now = System.nanoTime();
        limiter = new RateLimiter("bench", config, now, RateLimiter.DEFAULT_MAX_KEYS);
        for (int i = 0; i < KEYS; i++) {
            limiter.check(new DefaultHttpHeaders().add("X-Api-Key", "key-" + i), "10.0." + (i >> 8) + "." + (i & 255), now);
        }
        headers = new DefaultHttpHeaders().add("Host", "example.com").add("User-Agent", "bench")
                .add("X-Api-Key", "key-4242").add("Accept", "*/*");
        clientIp = "10.0.16.146"; // key 4242
        if ((limiter.check(headers, clientIp, now) == 0) != admitted) {
            throw new IllegalStateException(key + ": expected " + outcome);
        }
    }

    @Benchmark
    public long check() {
        return limiter.check(headers, clientIp, now += 100);
    }
}
