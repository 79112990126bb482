package dev.gateway.core.listener;

import dev.gateway.core.http.ClientHandler;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open client connections against {@code max_connections}. A connection over the limit is
 * closed as soon as it is accepted (clients see a reset or EOF, as with nginx's worker_connections),
 * so an overload costs the gateway no parsing work. Also tracks every open connection for draining.
 */
public final class ConnectionLimiter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final ChannelGroup channels = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);

    public ConnectionLimiter(int max) {
        this.max = max;
    }

    /** Registers the channel, or returns false when it is over the limit (the caller closes it). */
    boolean tryAdmit(Channel channel) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.increment();
            return false;
        }
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        channels.add(channel);
        return true;
    }

    public int open() {
        return open.get();
    }

    /** Connections refused so far because {@code max} were open (for metrics). */
    public long refused() {
        return refused.sum();
    }

    public ChannelGroup channels() {
        return channels;
    }

    /**
     * Asks every open connection to finish (idle keep-alive connections close at once, busy ones
     * after their response) and waits up to {@code timeout} for them; then closes what is left.
     */
    public void drain(Duration timeout) {
        int before = open();
        if (before > 0) {
            log.info("draining {} client connection(s) for up to {}", before, timeout);
        }
        channels.forEach(ch -> ch.pipeline().fireUserEventTriggered(ClientHandler.DRAIN));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open() > 0 && System.nanoTime() - deadline < 0) {
            channels.newCloseFuture().awaitUninterruptibly(50, TimeUnit.MILLISECONDS);
        }
        if (open() > 0) {
            log.warn("shutdown_timeout {} reached: closing {} connection(s) with requests in flight", timeout, open());
            channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
