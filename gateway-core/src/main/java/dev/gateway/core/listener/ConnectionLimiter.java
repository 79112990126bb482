package dev.gateway.core.listener;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts open client connections against {@code max_connections}. A connection over the limit is
 * closed as soon as it is accepted (clients see a reset or EOF, as with nginx's worker_connections),
 * so an overload costs the gateway no parsing work. Also tracks every open connection for draining.
 */
public final class ConnectionLimiter {

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
}
