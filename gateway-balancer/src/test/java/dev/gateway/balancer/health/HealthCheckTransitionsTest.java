package dev.gateway.balancer.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.Pools;
import dev.gateway.balancer.targets.ProbeResult;
import dev.gateway.balancer.targets.Target;
import dev.gateway.balancer.targets.TargetHealth;
import dev.gateway.config.HealthCheckConfig;
import dev.gateway.config.Strategy;
import dev.gateway.config.UpstreamConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Thresholds, logging and selection of active health checks, with a fake probe and a hand-run scheduler. */
class HealthCheckTransitionsTest {

    private static final HealthCheckConfig CHECK = new HealthCheckConfig(HealthCheckConfig.Type.HTTP, "/health",
            Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 3, new HealthCheckConfig.StatusRange(200, 399));

    private final FakeScheduler scheduler = new FakeScheduler();
    private final FakeProbe probe = new FakeProbe();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(PoolHealthCheck.class);

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        logger.detachAppender(logs);
    }

    @Test
    void targetsStartHealthyAndEveryTargetIsCheckedAtStartUp() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, 1, 1, 1);
        try (PoolHealthCheck checker = new PoolHealthCheck(pool, CHECK, probe, scheduler)) {
            assertThat(pool.targets()).allMatch(Target::isHealthy);
            checker.start();
            assertThat(scheduler.delays).hasSize(3).allMatch(Duration.ZERO::equals);
            scheduler.runAll();
            assertThat(probe.probed).containsExactlyElementsOf(pool.targets());
            assertThat(scheduler.delays.subList(3, 6)).allSatisfy(d ->
                    assertThat(d).isBetween(Duration.ofSeconds(5), Duration.ofMillis(5500)));
        }
    }

    @Test
    void targetGoesOutAfterUnhealthyThresholdFailuresAndIsLoggedOnce() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, 1, 1);
        Target bad = pool.targets().get(0);
        probe.results.put(bad, ProbeResult.fail("connect refused"));
        try (PoolHealthCheck checker = new PoolHealthCheck(pool, CHECK, probe, scheduler)) {
            checker.start();
            scheduler.runAll();
            scheduler.runAll();
            assertThat(bad.isHealthy()).as("two failures are below the threshold of 3").isTrue();
            scheduler.runAll();
            assertThat(bad.isHealthy()).isFalse();
            scheduler.runAll();
            scheduler.runAll();
            assertThat(bad.isHealthy()).isFalse();
            assertThat(pool.targets().get(1).isHealthy()).isTrue();
        }
        assertThat(logs.list).hasSize(1);
        assertThat(logs.list.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(logs.list.get(0).getFormattedMessage()).isEqualTo(
                "target http://10.0.0.1:8080 of pool api marked unhealthy after 3 failed checks (last: connect refused)");
    }

    @Test
    void targetComesBackAfterHealthyThresholdPassesAndIsLoggedOnce() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, 1, 1);
        Target target = pool.targets().get(0);
        probe.results.put(target, ProbeResult.fail("status 503"));
        try (PoolHealthCheck checker = new PoolHealthCheck(pool, CHECK, probe, scheduler)) {
            checker.start();
            for (int i = 0; i < 3; i++) {
                scheduler.runAll();
            }
            assertThat(target.isHealthy()).isFalse();
            probe.results.remove(target);
            scheduler.runAll();
            assertThat(target.isHealthy()).as("one pass is below the threshold of 2").isFalse();
            scheduler.runAll();
            assertThat(target.isHealthy()).isTrue();
            scheduler.runAll();
        }
        assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(logs.list.get(1).getFormattedMessage())
                .isEqualTo("target http://10.0.0.1:8080 of pool api marked healthy after 2 passed checks");
    }

    @Test
    void everyResultAndEveryChangeIsPublishedWithItsReasonAndTime() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, 1);
        Target target = pool.targets().get(0);
        StepClock clock = new StepClock();
        assertThat(target.health()).satisfies(h -> {
            assertThat(h.healthy()).isTrue();
            assertThat(h.reason()).isEqualTo("not checked yet");
            assertThat(h.lastCheck()).isNull();
        });
        try (PoolHealthCheck checker = new PoolHealthCheck(pool, CHECK, probe, scheduler, clock)) {
            checker.start();
            scheduler.runAll();
            assertThat(target.health().lastCheck()).isEqualTo(ProbeResult.pass());
            assertThat(target.health().lastCheckAt()).isEqualTo(clock.now);

            probe.results.put(target, ProbeResult.fail("status 503"));
            clock.advance();
            scheduler.runAll();
            clock.advance();
            scheduler.runAll();
            assertThat(target.health().healthy()).isTrue();
            assertThat(target.health().lastCheck()).isEqualTo(ProbeResult.fail("status 503"));
            probe.results.put(target, ProbeResult.fail("connect refused"));
            clock.advance();
            scheduler.runAll();
            Instant wentDown = clock.now;
            assertThat(target.health()).isEqualTo(new TargetHealth(false, "3 failed checks (last: connect refused)",
                    wentDown, ProbeResult.fail("connect refused"), wentDown));

            clock.advance();
            scheduler.runAll();
            assertThat(target.health().since()).as("a further failure is no change").isEqualTo(wentDown);
            assertThat(target.health().lastCheckAt()).isEqualTo(clock.now);

            probe.results.put(target, ProbeResult.pass("status 200"));
            clock.advance();
            scheduler.runAll();
            assertThat(target.health().healthy()).isFalse();
            clock.advance();
            scheduler.runAll();
            assertThat(target.health()).isEqualTo(new TargetHealth(true, "2 passed checks", clock.now,
                    ProbeResult.pass("status 200"), clock.now));
        }
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "target http://10.0.0.1:8080 of pool api marked unhealthy after 3 failed checks (last: connect refused)",
                "target http://10.0.0.1:8080 of pool api marked healthy after 2 passed checks");
    }

    @Test
    void aPassInBetweenResetsTheFailureCount() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, 1);
        Target target = pool.targets().get(0);
        try (PoolHealthCheck checker = new PoolHealthCheck(pool, CHECK, probe, scheduler)) {
            checker.start();
            for (int round = 0; round < 4; round++) {
                probe.results.put(target, ProbeResult.fail("timeout"));
                scheduler.runAll();
                scheduler.runAll();
                probe.results.remove(target);
                scheduler.runAll();
            }
            assertThat(target.isHealthy()).isTrue();
        }
        assertThat(logs.list).isEmpty();
    }

    @Test
    void everyStrategySkipsUnhealthyTargets() {
        for (Strategy strategy : Strategy.values()) {
            Pool pool = Pools.pool(strategy, 1, 1, 1);
            Pools.markHealthy(pool.targets().get(0), false);
            Pools.markHealthy(pool.targets().get(2), false);
            for (int i = 0; i < 50; i++) {
                assertThat(Pools.pickOnce(pool, Pools.Key.ip("192.0.2." + i))).as(strategy.name()).isEqualTo(1);
            }
        }
    }

    @Test
    void allUnhealthyFailAnswersNull() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, "client_ip", Pools.targets(1, 1), Pools.LENIENT_BREAKER,
                UpstreamConfig.AllUnhealthy.FAIL, System::nanoTime);
        pool.targets().forEach(t -> Pools.markHealthy(t, false));
        assertThat(pool.select(Pools.Key.ip("192.0.2.1"), List.of())).isNull();
    }

    @Test
    void allUnhealthyIgnoreHealthSpreadsOverAllTargets() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, "client_ip", Pools.targets(1, 1), Pools.LENIENT_BREAKER,
                UpstreamConfig.AllUnhealthy.IGNORE_HEALTH, System::nanoTime);
        pool.targets().forEach(t -> Pools.markHealthy(t, false));
        int[] counts = new int[2];
        for (int i = 0; i < 10; i++) {
            counts[Pools.pickOnce(pool, Pools.Key.ip("192.0.2.1"))]++;
        }
        assertThat(counts).containsExactly(5, 5);
    }

    @Test
    void closeCancelsPendingChecksAndIgnoresLateResults() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, 1);
        Target target = pool.targets().get(0);
        probe.results.put(target, ProbeResult.fail("timeout"));
        probe.deferred = true;
        PoolHealthCheck checker = new PoolHealthCheck(pool, CHECK, probe, scheduler);
        checker.start();
        scheduler.runAll();
        checker.close();
        for (int i = 0; i < 5; i++) {
            probe.completeDeferred();
            scheduler.runAll();
        }
        assertThat(target.isHealthy()).isTrue();
        assertThat(scheduler.tasks).isEmpty();
    }

    /** A wall clock the test moves by a second at a time. */
    private static final class StepClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        void advance() {
            now = now.plusSeconds(1);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Collects scheduled tasks; the test runs them round by round. */
    private static final class FakeScheduler implements HealthScheduler {
        final Queue<Runnable> tasks = new ArrayDeque<>();
        final List<Duration> delays = new ArrayList<>();

        @Override
        public Runnable schedule(Runnable task, Duration delay) {
            tasks.add(task);
            delays.add(delay);
            return () -> tasks.remove(task);
        }

        /** Runs what is scheduled now (not what those tasks schedule): one round of checks. */
        void runAll() {
            List<Runnable> round = new ArrayList<>(tasks);
            tasks.clear();
            round.forEach(Runnable::run);
        }
    }

    /** Passes unless a failure is set for the target; may hold results back to model checks in flight. */
    private static final class FakeProbe implements HealthProbe {
        final Map<Target, ProbeResult> results = new HashMap<>();
        final List<Target> probed = new ArrayList<>();
        final List<Runnable> held = new ArrayList<>();
        boolean deferred;

        @Override
        public void probe(Target target, Consumer<ProbeResult> done) {
            probed.add(target);
            ProbeResult result = results.getOrDefault(target, ProbeResult.pass());
            if (deferred) {
                held.add(() -> done.accept(result));
            } else {
                done.accept(result);
            }
        }

        void completeDeferred() {
            List<Runnable> now = new ArrayList<>(held);
            held.clear();
            now.forEach(Runnable::run);
        }
    }
}
