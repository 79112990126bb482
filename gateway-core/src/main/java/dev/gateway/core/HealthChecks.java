package dev.gateway.core;

import dev.gateway.balancer.HealthChecker;
import dev.gateway.balancer.HealthScheduler;
import dev.gateway.balancer.Pool;
import dev.gateway.proxy.ClientTransport;
import dev.gateway.proxy.HealthProbes;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code [upstreams.NAME.health_check]} checkers of one routing snapshot, timed on the worker
 * event loops (one loop per pool) and probing with connections of their own.
 */
final class HealthChecks implements AutoCloseable {

    private final List<HealthChecker> checkers = new ArrayList<>();

    HealthChecks(Collection<Pool> pools, EventLoopGroup workers, ClientTransport transport) {
        for (Pool pool : pools) {
            pool.config().healthCheck().ifPresent(check -> checkers.add(new HealthChecker(pool, check,
                    new HealthProbes(check, workers, transport), onLoop(workers.next()))));
        }
    }

    private static HealthScheduler onLoop(EventLoop loop) {
        return (task, delay) -> {
            ScheduledFuture<?> future = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }

    /** First checks run at once; targets count as healthy until they fail {@code unhealthy_threshold} times. */
    void start() {
        checkers.forEach(HealthChecker::start);
    }

    @Override
    public void close() {
        checkers.forEach(HealthChecker::close);
    }
}
