package dev.gateway.core;

import dev.gateway.balancer.Pool;
import dev.gateway.balancer.health.HealthScheduler;
import dev.gateway.balancer.health.PoolHealthCheck;
import dev.gateway.proxy.health.UpstreamHealthProbe;
import dev.gateway.proxy.upstream.UpstreamTransport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code [upstreams.NAME.health_check]} checkers of the current pools, timed on the worker
 * event loops (one loop per pool) and probing with connections of their own. A reload keeps the
 * checker of a pool it kept (its targets keep their health) and replaces the others.
 */
final class HealthCheckRunner implements AutoCloseable {

    private final EventLoopGroup workers;
    private final UpstreamTransport transport;
    private final Map<Pool, PoolHealthCheck> checkers = new IdentityHashMap<>();
    private boolean started;
    private boolean closed;

    HealthCheckRunner(Collection<Pool> pools, EventLoopGroup workers, UpstreamTransport transport) {
        this.workers = workers;
        this.transport = transport;
        pools.forEach(this::add);
    }

    private PoolHealthCheck add(Pool pool) {
        return pool.config().healthCheck().map(check -> {
            PoolHealthCheck checker = new PoolHealthCheck(pool, check,
                    new UpstreamHealthProbe(check, pool.config().tls(), workers, transport, pool.config().protocol()),
                    onLoop(workers.next()));
            checkers.put(pool, checker);
            return checker;
        }).orElse(null);
    }

    private static HealthScheduler onLoop(EventLoop loop) {
        return (task, delay) -> {
            ScheduledFuture<?> future = loop.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }

    /** First checks run at once; targets count as healthy until they fail {@code unhealthy_threshold} times. */
    synchronized void start() {
        started = true;
        checkers.values().forEach(PoolHealthCheck::start);
    }

    /** After a reload: stops the checkers of pools that are gone, starts checkers for new pools. */
    synchronized void update(Collection<Pool> pools) {
        if (closed) {
            return;
        }
        Set<Pool> current = Collections.newSetFromMap(new IdentityHashMap<>());
        current.addAll(pools);
        checkers.entrySet().removeIf(entry -> {
            if (current.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().close();
            return true;
        });
        for (Pool pool : pools) {
            if (!checkers.containsKey(pool)) {
                PoolHealthCheck checker = add(pool);
                if (checker != null && started) {
                    checker.start();
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        checkers.values().forEach(PoolHealthCheck::close);
    }
}
