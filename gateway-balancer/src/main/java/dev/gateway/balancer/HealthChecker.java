package dev.gateway.balancer;

import dev.gateway.config.HealthCheckConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pool's {@code [health_check]}: each target is probed at start-up and then every
 * {@code interval} (plus up to 10% jitter so checks of many targets do not fire together). A
 * target goes out after {@code unhealthy_threshold} consecutive failures and comes back after
 * {@code healthy_threshold} consecutive passes; each change is logged once with the last reason.
 *
 * <p>The next check of a target is scheduled only when its previous one has reported, so a slow
 * target never has two checks in flight.
 */
public final class HealthChecker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final Pool pool;
    private final HealthCheckConfig config;
    private final HealthProbe probe;
    private final HealthScheduler scheduler;
    private final List<TargetCheck> checks = new ArrayList<>();
    private volatile boolean stopped;

    public HealthChecker(Pool pool, HealthCheckConfig config, HealthProbe probe, HealthScheduler scheduler) {
        this.pool = pool;
        this.config = config;
        this.probe = probe;
        this.scheduler = scheduler;
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
                if (result.passed()) {
                    failures = 0;
                    passes++;
                    if (!target.isHealthy() && passes >= config.healthyThreshold()) {
                        target.healthy(true);
                        LOG.info("target {} of pool {} marked healthy after {} passed checks",
                                target.url(), pool.name(), passes);
                    }
                } else {
                    passes = 0;
                    failures++;
                    if (target.isHealthy() && failures >= config.unhealthyThreshold()) {
                        target.healthy(false);
                        LOG.warn("target {} of pool {} marked unhealthy after {} failed checks (last: {})",
                                target.url(), pool.name(), failures, result.reason());
                    }
                }
            }
            scheduleIn(nextDelay());
        }
    }
}
