package dev.gateway.balancer.health;

import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.ProbeResult;
import dev.gateway.balancer.targets.Target;
import dev.gateway.balancer.targets.TargetHealth;
import dev.gateway.config.HealthCheckConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pool's {@code [health_check]}: each target is probed at start-up and then every
 * {@code interval} (plus up to 10% jitter so checks of many targets do not fire together). A
 * target goes out after {@code unhealthy_threshold} consecutive failures and comes back after
 * {@code healthy_threshold} consecutive passes. Each change is logged once, with its reason, and
 * every result is published as the target's {@link TargetHealth} for status pages and metrics.
 *
 * <p>The next check of a target is scheduled only when its previous one has reported, so a slow
 * target never has two checks in flight.
 */
public final class PoolHealthCheck implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PoolHealthCheck.class);

    private final Pool pool;
    private final HealthCheckConfig config;
    private final HealthProbe probe;
    private final HealthScheduler scheduler;
    private final Clock clock;
    private final List<TargetCheck> checks = new ArrayList<>();
    private volatile boolean stopped;

    public PoolHealthCheck(Pool pool, HealthCheckConfig config, HealthProbe probe, HealthScheduler scheduler) {
        this(pool, config, probe, scheduler, Clock.systemUTC());
    }

    /** With the wall clock that stamps {@link TargetHealth} injected (tests). */
    public PoolHealthCheck(Pool pool, HealthCheckConfig config, HealthProbe probe, HealthScheduler scheduler,
            Clock clock) {
        this.pool = pool;
        this.config = config;
        this.probe = probe;
        this.scheduler = scheduler;
        this.clock = clock;
        for (Target target : pool.targets()) {
            checks.add(new TargetCheck(target));
        }
    }

    /** Schedules the first check of every target at once. */
    public void start() {
        for (TargetCheck check : checks) {
            check.scheduleIn(Duration.ZERO);
        }
    }

    /** Cancels pending checks; results of checks in flight are ignored. */
    @Override
    public void close() {
        stopped = true;
        for (TargetCheck check : checks) {
            check.cancel();
        }
    }

    private Duration nextDelay() {
        long interval = config.interval().toNanos();
        long jitter = interval / 10 > 0 ? ThreadLocalRandom.current().nextLong(interval / 10 + 1) : 0;
        return Duration.ofNanos(interval + jitter);
    }

    /** The consecutive-result counters of one target; results arrive one at a time. */
    private final class TargetCheck {

        private final Target target;
        private int passes;
        private int failures;
        private Runnable pending;

        TargetCheck(Target target) {
            this.target = target;
        }

        synchronized void scheduleIn(Duration delay) {
            if (stopped) {
                return;
            }
            pending = scheduler.schedule(this::run, delay);
        }

        synchronized void cancel() {
            if (pending != null) {
                pending.run();
                pending = null;
            }
        }

        private void run() {
            if (stopped) {
                return;
            }
            try {
                probe.probe(target, this::report);
            } catch (RuntimeException e) {
                report(ProbeResult.fail("probe error: " + e));
            }
        }

        private void report(ProbeResult result) {
            if (stopped) {
                return;
            }
            synchronized (this) {
                target.health(next(target.health(), result, clock.instant()));
            }
            scheduleIn(nextDelay());
        }

        /** Counts one result; a change of state is logged here, once, as it is decided. */
        private TargetHealth next(TargetHealth health, ProbeResult result, Instant now) {
            if (result.passed()) {
                failures = 0;
                passes++;
                if (!health.healthy() && passes >= config.healthyThreshold()) {
                    LOG.info("target {} of pool {} marked healthy after {} passed checks", target.url(), pool.name(),
                            passes);
                    return health.changed(true, passes + " passed checks", result, now);
                }
            } else {
                passes = 0;
                failures++;
                if (health.healthy() && failures >= config.unhealthyThreshold()) {
                    String reason = failures + " failed checks (last: " + result.reason() + ")";
                    LOG.warn("target {} of pool {} marked unhealthy after {}", target.url(), pool.name(), reason);
                    return health.changed(false, reason, result, now);
                }
            }
            return health.checked(result, now);
        }
    }
}
