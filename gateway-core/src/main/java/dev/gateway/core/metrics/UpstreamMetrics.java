package dev.gateway.core.metrics;

import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.proxy.UpstreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;

/**
 * Upstream attempts as the proxy reports them:
 * {@code gateway_upstream_requests_total{pool,target,outcome}} where outcome is the response's
 * status class ({@code 2xx}, {@code 5xx}, ...) or why no response came ({@code connect_failure},
 * {@code connect_timeout}, {@code reset}, {@code timeout}, {@code invalid_response},
 * {@code cancelled}); {@code gateway_upstream_duration_seconds{pool,target}}, a histogram of
 * attempts that got a complete response; and {@code gateway_upstream_retries_total{pool}}.
 * Meters are cached per target object, so an attempt costs one lock-free map read.
 */
final class UpstreamMetrics implements UpstreamObserver {

    private static final int CLASSES = MetricLabels.STATUS_CLASSES.length;
    private static final Outcome.Kind[] KINDS = Outcome.Kind.values();

    private final MeterRegistry registry;
    private final ConcurrentHashMap<Target, TargetMeters> targets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> retries = new ConcurrentHashMap<>();

    UpstreamMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void attemptCompleted(Pool pool, Target target, Outcome outcome) {
        TargetMeters meters = targets.get(target);
        if (meters == null) {
            meters = targets.computeIfAbsent(target, t -> new TargetMeters(pool.name(), t.url()));
        }
        meters.record(outcome);
    }

    @Override
    public void retrying(Pool pool) {
        Counter counter = retries.get(pool.name());
        if (counter == null) {
            counter = retries.computeIfAbsent(pool.name(), name -> Counter.builder("gateway.upstream.retries")
                    .description("Failed upstream attempts that were tried again")
                    .tag("pool", name)
                    .register(registry));
        }
        counter.increment();
    }

    /**
     * Forgets the cached meters of targets no longer in {@code pools} (after a reload), so the
     * cache does not grow with every reload; the series themselves stay, as counters must.
     */
    void retain(Collection<Pool> pools) {
        Set<Target> current = pools.stream().flatMap(p -> p.targets().stream()).collect(Collectors.toSet());
        targets.keySet().retainAll(current);
    }

    /** The meters of one target: an outcome counter per status class and failure kind, and the response time. */
    private final class TargetMeters {
        private final String pool;
        private final String target;
        private final AtomicReferenceArray<Counter> outcomes = new AtomicReferenceArray<>(CLASSES + KINDS.length);
        private final Timer duration;

        TargetMeters(String pool, String target) {
            this.pool = pool;
            this.target = target;
            this.duration = Timer.builder("gateway.upstream.duration")
                    .description("Time from sending the request to the target to the last byte of its response")
                    .tags("pool", pool, "target", target)
                    .serviceLevelObjectives(RequestMetrics.DURATION_BUCKETS)
                    .register(registry);
        }

        void record(Outcome outcome) {
            boolean response = outcome.kind() == Outcome.Kind.RESPONSE;
            int i = response ? MetricLabels.statusClassIndex(outcome.status()) : CLASSES + outcome.kind().ordinal();
            Counter counter = outcomes.getAcquire(i);
            if (counter == null) {
                String label = response ? MetricLabels.STATUS_CLASSES[i] : outcome.kind().name().toLowerCase(Locale.ROOT);
                counter = Counter.builder("gateway.upstream.requests")
                        .description("Upstream attempts by target and outcome (status class, or why no response came)")
                        .tags("pool", pool, "target", target, "outcome", label)
                        .register(registry);
                outcomes.setRelease(i, counter);
            }
            counter.increment();
            if (response) {
                duration.record(outcome.latencyNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }
}
