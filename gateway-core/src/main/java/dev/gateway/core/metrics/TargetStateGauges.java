package dev.gateway.core.metrics;

import dev.gateway.balancer.CircuitBreaker;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Target;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-target state, read from the balancer when scraped:
 * {@code gateway_target_healthy{pool,target}} (1 healthy, 0 marked down by health checks),
 * {@code gateway_target_breaker_state{pool,target,state}} (1 for the breaker's current state
 * among closed/open/half_open, 0 for the others) and
 * {@code gateway_target_active_requests{pool,target}}. {@link #bind} replaces the whole set, so
 * after a reload the gauges follow the new pools and removed targets disappear.
 */
final class TargetStateGauges {

    private static final CircuitBreaker.State[] STATES = CircuitBreaker.State.values();

    private final MultiGauge healthy;
    private final MultiGauge breakerState;
    private final MultiGauge activeRequests;

    TargetStateGauges(MeterRegistry registry) {
        this.healthy = MultiGauge.builder("gateway.target.healthy")
                .description("1 while the target passes its health checks (always 1 without health checks), else 0")
                .register(registry);
        this.breakerState = MultiGauge.builder("gateway.target.breaker.state")
                .description("1 for the current state of the target's circuit breaker, 0 for the other states")
                .register(registry);
        this.activeRequests = MultiGauge.builder("gateway.target.active.requests")
                .description("Requests sent to the target and not finished yet")
                .register(registry);
    }

    /** Replaces the gauges with those of {@code pools}' targets. */
    void bind(Map<String, Pool> pools) {
        List<MultiGauge.Row<?>> health = new ArrayList<>();
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        List<MultiGauge.Row<?>> active = new ArrayList<>();
        for (Pool pool : pools.values()) {
            for (Target target : pool.targets()) {
                Tags tags = Tags.of("pool", pool.name(), "target", target.url());
                health.add(MultiGauge.Row.of(tags, target, t -> t.isHealthy() ? 1 : 0));
                active.add(MultiGauge.Row.of(tags, target, Target::activeRequests));
                CircuitBreaker breaker = pool.breaker(target);
                for (CircuitBreaker.State state : STATES) {
                    states.add(MultiGauge.Row.of(tags.and("state", state.name().toLowerCase(Locale.ROOT)),
                            breaker, b -> b.state() == state ? 1 : 0));
                }
            }
        }
        healthy.register(health, true);
        breakerState.register(states, true);
        activeRequests.register(active, true);
    }
}
