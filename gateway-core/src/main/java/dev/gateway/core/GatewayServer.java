package dev.gateway.core;

import dev.gateway.balancer.Pool;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.HostPort;
import dev.gateway.config.ServerConfig;
import dev.gateway.core.acme.AcmeManager;
import dev.gateway.core.admin.AdminInitializer;
import dev.gateway.core.admin.ServerState;
import dev.gateway.core.http.ExchangeObserver;
import dev.gateway.core.http.ServerRuntime;
import dev.gateway.core.listener.ClientInitializer;
import dev.gateway.core.listener.ConnectionLimiter;
import dev.gateway.core.listener.HttpsRedirectInitializer;
import dev.gateway.core.logging.AccessLog;
import dev.gateway.core.metrics.GatewayMetrics;
import dev.gateway.core.protocol.ErrorResponses;
import dev.gateway.core.reload.ConfigReloader;
import dev.gateway.core.reload.FileWatches;
import dev.gateway.core.reload.ReloadOutcome;
import dev.gateway.core.reload.ReloadStats;
import dev.gateway.core.reload.RestartOnlySettings;
import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.core.tls.ServerTls;
import dev.gateway.core.tracing.Tracing;
import dev.gateway.core.tracing.otlp.OtlpSpans;
import dev.gateway.core.traffic.RecentTraffic;
import dev.gateway.proxy.Forwarder;
import dev.gateway.proxy.upstream.UpstreamTransport;
import dev.gateway.proxy.websocket.WebSocketMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: binds the public listener (and the admin and HTTPS-redirect listeners),
 * owns the event loops, and drains connections on stop.
 */
public final class GatewayServer implements ServerState, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final ServerRuntime runtime;
    private final Transports transport;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    /** the admin listener's own loop, so a scrape or a status page never delays traffic */
    private final EventLoopGroup adminLoop;
    private final ConnectionLimiter limiter;
    private final GatewayMetrics metrics;
    private final Forwarder forwarder;
    /** how targets are connected to (channel class, DNS, TLS contexts), shared by requests and health checks */
    private final UpstreamTransport upstreams;
    private final HealthCheckRunner healthChecks;
    private final Instant startedAt = Instant.now();
    private final ReloadStats reloadStats;
    private final RecentTraffic traffic;
    /** the span export of [tracing] otlp_endpoint, or null */
    private final OtlpSpans spans;
    private final ConfigReloader reloader;
    private final FileWatches watches;
    /** the main listener's certificates and engine; null when it speaks plain HTTP */
    private final ServerTls tls;
    /** [acme]: null when not configured */
    private AcmeManager acme;
    private final List<Channel> listeners = new ArrayList<>();
    private volatile boolean ready;
    private Channel main;
    private Channel admin;
    private Channel httpsRedirect;

    private GatewayServer(GatewayConfig config) {
        ServerConfig server = config.server();
        // First: a certificate that cannot be served fails the start before any thread exists.
        this.tls = server.tls().map(t -> new ServerTls(t, server.http2().enabled(), ClientInitializer.PROTOCOLS,
                config.acme().isPresent())).orElse(null);
        this.transport = Transports.select(server.transport());
        int threads = server.ioThreads() > 0 ? server.ioThreads() : Runtime.getRuntime().availableProcessors();
        this.acceptor = transport.newGroup(1, "gateway-accept");
        this.workers = transport.newGroup(threads, "gateway-io");
        this.adminLoop = transport.newGroup(1, "gateway-admin");
        this.limiter = new ConnectionLimiter(server.maxConnections());
        this.metrics = new GatewayMetrics(limiter, Map.of("accept", acceptor, "io", workers));
        this.upstreams = transport.clientTransport();
        upstreams.tls().prepare(config.upstreams().values());
        this.forwarder = new Forwarder(upstreams, server.trustedProxies(), metrics.upstream());
        AccessLog accessLog = AccessLog.from(config.logging());
        this.traffic = new RecentTraffic(metrics.registry());
        Tracing tracing = Tracing.from(config.tracing());
        this.spans = OtlpSpans.start(config.tracing(), Main.version());
        OtlpSpans export = spans;
        ExchangeObserver completed = exchange -> {
            accessLog.log(exchange);
            metrics.requestCompleted(exchange);
            traffic.completed(exchange);
            if (export != null) {
                export.completed(exchange);
            }
        };
        this.runtime = new ServerRuntime(RoutingSnapshot.build(config,
                tracing.enabled() ? ErrorResponses::forTracedRequest : ErrorResponses::forRequest), completed,
                forwarder, server.tls().isPresent(), tracing);
        metrics.bindPools(runtime.snapshot().pools());
        metrics.bindWebSockets(forwarder.webSockets());
        this.healthChecks = new HealthCheckRunner(runtime.snapshot().pools().values(), workers, upstreams);
        this.reloadStats = new ReloadStats(config.source(), new ReloadOutcome(startedAt,
                ConfigReloader.sha256Of(config.source()), List.of(), List.of(), config.routes().size(),
                config.upstreams().size()));
        this.reloader = new ConfigReloader(config.source(), reloadStats, this::apply);
        this.watches = new FileWatches(reloadStats, this::reload);
        metrics.bindConfig(reloadStats);
        if (tls != null) {
            metrics.bindTls(tls);
        }
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
        main = bind(server.listen(), workers, new ClientInitializer(runtime, limiter, tls));
        admin = bind(config.admin().listen(), adminLoop, new AdminInitializer(this, adminLoop.next()));
        if (tls != null && server.tls().get().redirectFrom().isPresent()) {
            httpsRedirect = bind(server.tls().get().redirectFrom().get(), workers,
                    new HttpsRedirectInitializer(mainAddress().getPort(), runtime, limiter, tls.challenges()));
        }
        healthChecks.start();
        watches.watchConfig(server.watchConfig());
        watchCertificates();
        if (config.acme().isPresent()) {
            // after the listeners are bound: the CA validates through them
            acme = new AcmeManager(config.acme().get(), tls);
            acme.start();
        }
        ready = true;
        if (tls != null) {
            log.info("TLS engine {}, ALPN {}", tls.engine(), tls.alpn());
        }
        log.info("gateway listening on {}{} (admin {}), transport {}, {} io threads, {} routes, {} upstreams{}",
                tls != null ? "https://" : "http://", server.listen().host() + ":" + mainAddress().getPort(),
                config.admin().listen().host() + ":" + adminAddress().getPort(), transport.name(),
                workers instanceof io.netty.channel.MultiThreadIoEventLoopGroup
                        ? ((io.netty.channel.MultiThreadIoEventLoopGroup) workers).executorCount() : -1,
                config.routes().size(), config.upstreams().size(),
                config.staticSite().map(s -> ", static site " + s.root()).orElse(""));
    }

    private Channel bind(HostPort address, EventLoopGroup children, ChannelHandler initializer) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, children)
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

    @Override
    public String version() {
        return Main.version();
    }

    @Override
    public InetSocketAddress mainAddress() {
        return (InetSocketAddress) main.localAddress();
    }

    @Override
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

    @Override
    public RoutingSnapshot snapshot() {
        return runtime.snapshot();
    }

    /** The configuration running now (after reloads, with the settings only a restart changes kept). */
    @Override
    public GatewayConfig config() {
        return runtime.snapshot().config();
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public ReloadStats reloadStats() {
        return reloadStats;
    }

    @Override
    public String transportName() {
        return transport.name();
    }

    /**
     * Re-reads the configuration file off the event loops (SIGHUP, {@code POST /reload}, file watch).
     * Invalid: nothing changes. Valid: the new routes are published at once; pools with an unchanged
     * definition are kept with their state and connections, the others drain and close.
     *
     * @param trigger what asked, for the log
     */
    @Override
    public CompletableFuture<ReloadOutcome> reload(String trigger) {
        return reloader.request(trigger);
    }

    /** Runs on the reload thread (one at a time): swaps in a valid configuration. */
    private ReloadOutcome apply(GatewayConfig loaded) {
        RoutingSnapshot old = runtime.snapshot();
        RestartOnlySettings.Merged merged = RestartOnlySettings.merge(old.config(), loaded);
        upstreams.tls().prepare(merged.config().upstreams().values()); // an unreadable file refuses the reload
        RoutingSnapshot next = RoutingSnapshot.build(merged.config(), old);
        runtime.publish(next);
        metrics.bindPools(next.pools());
        Set<Pool> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(next.pools().values());
        List<Pool> removed = old.pools().values().stream().filter(pool -> !kept.contains(pool)).toList();
        merged.config().server().tls().ifPresent(current -> {
            tls.apply(current);
            watchCertificates();
        });
        healthChecks.update(next.pools().values());
        forwarder.retire(removed);
        merged.needsRestart().forEach(line -> log.warn("{}", line));
        watches.watchConfig(merged.config().server().watchConfig());
        long reused = old.pools().values().stream().filter(kept::contains).count();
        log.info("configuration reloaded: {} routes, {} upstreams ({} kept with their connections and state, "
                + "{} new, {} removed)", next.config().routes().size(), next.pools().size(), reused,
                next.pools().size() - reused, removed.size());
        return new ReloadOutcome(Instant.now(), null, List.of(), merged.needsRestart(),
                next.config().routes().size(), next.pools().size());
    }

    /** Watches the certificate files of {@code [server.tls]}, if the main listener has TLS. */
    private void watchCertificates() {
        if (tls != null) {
            watches.watchCertificates(tls, () -> runtime.snapshot().config().server().tls().orElseThrow());
        }
    }

    /** The ACME client of {@code [acme]}, or null. */
    @Override
    public AcmeManager acme() {
        return acme;
    }

    /** The main listener's TLS (certificates, engine), or null when it speaks plain HTTP. */
    @Override
    public ServerTls tls() {
        return tls;
    }

    /** Open WebSockets and relayed bytes per route and target (read by the metrics exporter). */
    public WebSocketMetrics webSockets() {
        return forwarder.webSockets();
    }

    /** The meters of this server (scraped by {@code GET /metrics}; reload reports to it). */
    @Override
    public GatewayMetrics metrics() {
        return metrics;
    }

    @Override
    public long openWebSockets() {
        return forwarder.webSockets().byRoute().values().stream().mapToLong(WebSocketMetrics.Counts::open).sum();
    }

    @Override
    public RecentTraffic traffic() {
        return traffic;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public int openConnections() {
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
        limiter.drain(timeout);
        close();
    }

    @Override
    public void close() {
        ready = false;
        watches.close();
        if (acme != null) {
            acme.close();
        }
        if (tls != null) {
            tls.close();
        }
        reloader.close();
        for (Channel listener : listeners) {
            listener.close();
        }
        limiter.channels().close();
        healthChecks.close();
        forwarder.close();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        adminLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (spans != null) {
            spans.close(); // after the loops: the last exchanges' spans are sent too
        }
        metrics.close();
    }
}
