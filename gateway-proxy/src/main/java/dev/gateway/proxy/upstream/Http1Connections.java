package dev.gateway.proxy.upstream;

import dev.gateway.balancer.targets.Target;
import dev.gateway.config.UpstreamConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 keep-alive connections to one target, owned by one event loop (so no locks): the
 * connections a client connection on this loop uses are registered on the same loop, and requests
 * never hop threads. One request at a time per connection; idle connections are reused
 * last-in-first-out, which keeps the hottest few warm and lets the rest age out after
 * {@code pool_idle_timeout}.
 */
public final class Http1Connections implements UpstreamConnections {

    private static final int MAX_RESPONSE_HEADER = 64 * 1024;
    private static final int MAX_CHUNK = 16 * 1024;

    private final EventLoop loop;
    private final Target target;
    private final int maxIdle;
    private final int maxRequests;
    private final long idleTimeoutNanos;
    private final Bootstrap bootstrap;
    private final SocketAddress address;
    private final ArrayDeque<UpstreamHandler> idle = new ArrayDeque<>();
    private boolean sweepScheduled;
    /** the target's pool was replaced by a reload: connections are closed after use, never kept */
    private boolean retired;

    public Http1Connections(EventLoop loop, Target target, UpstreamConfig config, UpstreamTransport transport) {
        this.loop = loop;
        this.target = target;
        this.maxIdle = config.maxIdlePerTarget();
        this.maxRequests = config.maxRequestsPerConnection();
        this.idleTimeoutNanos = config.poolIdleTimeout().toNanos();
        this.address = TargetAddress.of(target);
        Http1Connections self = this;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(transport.resolver())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (target.config().secure()) {
                            ch.pipeline().addLast(UpstreamPipeline.TLS, transport.newTlsHandler(ch.alloc(), target.host(), target.port(),
                                    config.tls()));
                        }
                        ch.pipeline().addLast(UpstreamPipeline.HTTP_CODEC, new HttpClientCodec(new HttpDecoderConfig()
                                .setMaxHeaderSize(MAX_RESPONSE_HEADER)
                                .setMaxChunkSize(MAX_CHUNK), false, false));
                        ch.pipeline().addLast(UpstreamPipeline.HANDLER, new UpstreamHandler(self));
                    }
                });
    }

    @Override
    public void acquire(boolean fresh, Acquirer acquirer) {
        UpstreamHandler pooled = fresh ? null : pollIdle();
        if (pooled != null) {
            acquirer.acquired(pooled, true);
            return;
        }
        ChannelFuture connect = bootstrap.connect(address);
        connect.addListener(f -> {
            if (f.isSuccess()) {
                acquirer.acquired(handlerOf(connect.channel()), false);
            } else {
                acquirer.failed(f.cause());
            }
        });
    }

    /** The most recently used live idle connection, or null when a new one must be opened. */
    private UpstreamHandler pollIdle() {
        long now = System.nanoTime();
        UpstreamHandler handler;
        while ((handler = idle.pollFirst()) != null) {
            if (handler.channel().isActive() && now - handler.idleSince < idleTimeoutNanos) {
                return handler;
            }
            handler.channel().close();
        }
        return null;
    }

    /** Takes back a connection whose last exchange ended cleanly; it is closed instead when it has served enough. */
    @Override
    public void release(UpstreamHandler handler) {
        Channel ch = handler.channel();
        handler.detach();
        if (retired || !ch.isActive() || handler.requests >= maxRequests || idle.size() >= maxIdle) {
            ch.close();
            return;
        }
        if (!ch.config().isAutoRead()) {
            ch.config().setAutoRead(true); // notice EOF or stray bytes while idle
        }
        handler.idleSince = System.nanoTime();
        idle.addFirst(handler);
        scheduleSweep();
    }

    @Override
    public void remove(UpstreamHandler handler) {
        idle.remove(handler);
    }

    /** Closes the idle connections; those in use close when their exchange ends. */
    @Override
    public void retire() {
        retired = true;
        closeAll();
    }

    @Override
    public void closeAll() {
        UpstreamHandler handler;
        while ((handler = idle.pollFirst()) != null) {
            handler.channel().close();
        }
    }

    /** Once per new connection; pooled ones are handed around as their handler. */
    private static UpstreamHandler handlerOf(Channel ch) {
        return (UpstreamHandler) ch.pipeline().get(UpstreamPipeline.HANDLER);
    }

    private void scheduleSweep() {
        if (sweepScheduled) {
            return;
        }
        sweepScheduled = true;
        loop.schedule(this::sweep, Math.max(idleTimeoutNanos / 2, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
    }

    /** Closes connections idle longer than pool_idle_timeout; the oldest are at the tail. */
    private void sweep() {
        sweepScheduled = false;
        long now = System.nanoTime();
        UpstreamHandler oldest;
        while ((oldest = idle.peekLast()) != null && now - oldest.idleSince >= idleTimeoutNanos) {
            idle.pollLast().channel().close();
        }
        if (!idle.isEmpty()) {
            scheduleSweep();
        }
    }
}
