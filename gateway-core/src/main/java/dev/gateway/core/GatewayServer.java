package dev.gateway.core;

import dev.gateway.balancer.Pool;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.HostPort;
import dev.gateway.config.ServerConfig;
import dev.gateway.proxy.Forwarder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: binds the public listener (and the admin and HTTPS-redirect listeners),
 * owns the event loops, and drains connections on stop.
 */
public final class GatewayServer implements AutoCloseable {

    /** User event asking a client connection to finish its current exchange and close. */
    static final Object DRAIN = new Object();

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final ServerRuntime runtime;
    private final Transports transport;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ConnectionLimiter limiter;
    private final Forwarder forwarder;
    private final HealthChecks healthChecks;
    private final List<Channel> listeners = new ArrayList<>();
    private volatile boolean ready;
    private Channel main;
    private Channel admin;
    private Channel httpsRedirect;

    private GatewayServer(GatewayConfig config) {
        ServerConfig server = config.server();
        this.transport = Transports.select(server.transport());
        int threads = server.ioThreads() > 0 ? server.ioThreads() : Runtime.getRuntime().availableProcessors();
        this.acceptor = transport.newGroup(1, "gateway-accept");
        this.workers = transport.newGroup(threads, "gateway-io");
        this.limiter = new ConnectionLimiter(server.maxConnections());
        this.forwarder = new Forwarder(transport.clientTransport(), server.trustedProxies());
        this.runtime = new ServerRuntime(RoutingSnapshot.build(config), AccessLog.from(config.logging()),
                forwarder, server.tls().isPresent());
        this.healthChecks = new HealthChecks(runtime.snapshot().pools().values(), workers, transport.clientTransport());
    }

    /** Builds, binds every listener and logs one summary line; on failure nothing stays bound. */
    public static GatewayServer start(GatewayConfig config) throws Exception {
        GatewayServer server = new GatewayServer(config);
        try {
            server.bindAll(config);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bindAll(GatewayConfig config) throws Exception {
        ServerConfig server = config.server();
        SslContext tls = server.tls().isPresent() ? TlsContexts.forServer(server.tls().get()) : null;
        main = bind(server.listen(), new ServerInitializer(runtime, limiter, tls));
        admin = bind(config.admin().listen(), new AdminInitializer(this));
        if (tls != null && server.tls().get().redirectFrom().isPresent()) {
            httpsRedirect = bind(server.tls().get().redirectFrom().get(),
                    new HttpsRedirectInitializer(mainAddress().getPort()));
        }
        healthChecks.start();
        ready = true;
        for (String warning : PendingFeatures.warnings(config)) {
            log.warn("{}", warning);
        }
        log.info("gateway listening on {}{} (admin {}), transport {}, {} io threads, {} routes, {} upstreams{}",
                tls != null ? "https://" : "http://", server.listen().host() + ":" + mainAddress().getPort(),
                config.admin().listen().host() + ":" + adminAddress().getPort(), transport.name(),
                workers instanceof io.netty.channel.MultiThreadIoEventLoopGroup
                        ? ((io.netty.channel.MultiThreadIoEventLoopGroup) workers).executorCount() : -1,
                config.routes().size(), config.upstreams().size(),
                config.staticSite().map(s -> ", static site " + s.root()).orElse(""));
    }

    private Channel bind(HostPort address, ChannelHandler initializer) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(initializer);
        Channel channel = bootstrap.bind(address.host(), address.port()).sync().channel();
        listeners.add(channel);
        return channel;
    }

    public InetSocketAddress mainAddress() {
        return (InetSocketAddress) main.localAddress();
    }

    public InetSocketAddress adminAddress() {
        return (InetSocketAddress) admin.localAddress();
    }

    /** The plain-HTTP listener of {@code redirect_from}, or null. */
    InetSocketAddress httpsRedirectAddress() {
        return httpsRedirect == null ? null : (InetSocketAddress) httpsRedirect.localAddress();
    }

    /** The pools of the current routing snapshot by upstream name (for tests and status). */
    Map<String, Pool> pools() {
        return runtime.snapshot().pools();
    }

    boolean isReady() {
        return ready;
    }

    int openConnections() {
        return limiter.open();
    }

    /**
     * Stops accepting, lets in-flight requests finish (idle keep-alive connections close at once,
     * busy ones after their response) for up to {@code timeout}, then closes what is left.
     */
    public void shutdown(Duration timeout) {
        ready = false;
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        int open = limiter.open();
        if (open > 0) {
            log.info("draining {} client connection(s) for up to {}", open, timeout);
        }
        limiter.channels().forEach(ch -> ch.pipeline().fireUserEventTriggered(DRAIN));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (limiter.open() > 0 && System.nanoTime() - deadline < 0) {
            limiter.channels().newCloseFuture().awaitUninterruptibly(50, TimeUnit.MILLISECONDS);
        }
        if (limiter.open() > 0) {
            log.warn("shutdown_timeout {} reached: closing {} connection(s) with requests in flight", timeout, limiter.open());
            limiter.channels().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        close();
    }

    @Override
    public void close() {
        ready = false;
        for (Channel listener : listeners) {
            listener.close();
        }
        limiter.channels().close();
        healthChecks.close();
        forwarder.close();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
