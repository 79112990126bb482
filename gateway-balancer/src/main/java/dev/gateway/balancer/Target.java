package dev.gateway.balancer;

import dev.gateway.config.TargetConfig;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend of a pool, with the runtime state strategies and breakers read: active requests and
 * the verdict of active health checks.
 */
public final class Target {

    private final TargetConfig config;
    private final AtomicInteger active = new AtomicInteger();
    private final TargetStats stats = new TargetStats();
    /** targets start healthy; only a {@link HealthChecker} changes this */
    private volatile TargetHealth health = TargetHealth.initial(Instant.now());
    /** the hot-path copy of {@code health.healthy()}: strategies read it on every pick */
    private volatile boolean healthy = true;
    /** position in its pool, or -1 for a target made outside one */
    private final int index;

    public Target(TargetConfig config) {
        this(config, -1);
    }

    Target(TargetConfig config, int index) {
        this.config = config;
        this.index = index;
    }

    public TargetConfig config() {
        return config;
    }

    /** The target's URL as configured, e.g. {@code http://10.0.0.3:8080}; used in logs and metrics. */
    public String url() {
        return config.url();
    }

    public String host() {
        return config.host();
    }

    public int port() {
        return config.port();
    }

    /** Requests sent to this target and not yet finished. */
    public int activeRequests() {
        return active.get();
    }

    /** Counts and recent latency of finished attempts (for status). */
    public TargetStats stats() {
        return stats;
    }

    /** False once active health checks marked the target down; always true without a health check. */
    public boolean isHealthy() {
        return healthy;
    }

    /** The verdict of active health checks with its reason and times, for status pages and metrics. */
    public TargetHealth health() {
        return health;
    }

    void health(TargetHealth next) {
        health = next;
        healthy = next.healthy();
    }

    /** Marks the target up or down by hand (tests). */
    void healthy(boolean value) {
        TargetHealth now = health;
        health(new TargetHealth(value, value ? "marked healthy" : "marked unhealthy", Instant.now(), now.lastCheck(),
                now.lastCheckAt()));
    }

    int index() {
        return index;
    }

    void started() {
        active.incrementAndGet();
    }

    void finished() {
        active.decrementAndGet();
    }

    @Override
    public String toString() {
        return config.url();
    }
}
