package dev.gateway.core.metrics;

import dev.gateway.balancer.Pool;
import dev.gateway.core.http.Exchange;
import dev.gateway.core.listener.ConnectionLimiter;
import dev.gateway.core.reload.ReloadStats;
import dev.gateway.core.tls.ServerTls;
import dev.gateway.proxy.UpstreamObserver;
import dev.gateway.proxy.timer.Deadline;
import dev.gateway.proxy.websocket.WebSocketMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The gateway's meter registry (Prometheus) and everything recorded in it: requests, upstream
 * attempts, per-target state, connections, config reloads, and the JVM, process and Netty
 * metrics of Micrometer's own binders. One per server; scraped by the admin listener's
 * {@code GET /metrics}. Names are given in Micrometer's dotted form and come out in Prometheus
 * form: {@code gateway.requests} is {@code gateway_requests_total}, timers are in seconds.
 */
public final class GatewayMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final RequestMetrics requests = new RequestMetrics(registry);
    private final UpstreamMetrics upstream = new UpstreamMetrics(registry);
    private final TargetStateGauges targets = new TargetStateGauges(registry);
    private final MultiGauge configInfo;
    private volatile ReloadStats config;
    /** the sha256 label {@link #configInfo} carries now */
    private String configInfoHash;
    private volatile WebSocketMeters webSockets;
    private volatile TlsMeters tls;

    /**
     * @param connections the client connections: open now and refused at accept
     * @param eventLoops the event loop groups by the {@code group} label their loops' pending tasks are reported under
     */
    public GatewayMetrics(ConnectionLimiter connections, Map<String, EventExecutorGroup> eventLoops) {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        eventLoops.forEach((name, group) -> new NettyEventExecutorMetrics(group, Tags.of("group", name)).bindTo(registry));

        Gauge.builder("gateway.open.connections", connections, ConnectionLimiter::open)
                .description("Client connections open now")
                .register(registry);
        Gauge.builder("gateway.timer.queued", Deadline::queuedChecks)
                .description("Connection and request deadlines with a check in an event loop's timer queue; "
                        + "follows open connections and requests in flight, a steady climb is a leak")
                .register(registry);
        FunctionCounter.builder("gateway.rejected.connections", connections, ConnectionLimiter::refused)
                .description("Client connections closed at accept because max_connections were open")
                .register(registry);

        configInfo = MultiGauge.builder("gateway.config.info")
                .description("Always 1; the sha256 label is the hash of the configuration file in use")
                .register(registry);
    }

    /** Records a finished exchange; called once per exchange, where its access-log line is written. */
    public void requestCompleted(Exchange exchange) {
        requests.completed(exchange, System.nanoTime());
    }

    /** What the proxy reports its upstream attempts to. */
    public UpstreamObserver upstream() {
        return upstream;
    }

    /** Points the per-target gauges at these pools (at start-up and after each reload). */
    public void bindPools(Map<String, Pool> pools) {
        targets.bind(pools);
        upstream.retain(pools.values());
    }

    /** Reports the WebSockets the proxy relays, by route and target (see {@link WebSocketMeters}). */
    public void bindWebSockets(WebSocketMetrics counts) {
        webSockets = new WebSocketMeters(registry, counts);
    }

    /**
     * Reports the configuration in use and the reloads from {@code stats}:
     * {@code gateway_config_reloads_total{result}}, {@code gateway_config_loaded_timestamp_seconds}
     * and {@code gateway_config_info{sha256}}, read when scraped.
     */
    public void bindConfig(ReloadStats stats) {
        config = stats;
        FunctionCounter.builder("gateway.config.reloads", stats, ReloadStats::succeeded)
                .description("Configuration reloads by result (a failed one keeps the previous configuration)")
                .tag("result", "success")
                .register(registry);
        FunctionCounter.builder("gateway.config.reloads", stats, ReloadStats::failed)
                .description("Configuration reloads by result (a failed one keeps the previous configuration)")
                .tag("result", "failure")
                .register(registry);
        Gauge.builder("gateway.config.loaded.timestamp", stats, s -> s.loaded().at().toEpochMilli() / 1000.0)
                .baseUnit("seconds")
                .description("When the configuration in use was loaded, at start-up or by a reload (Unix time)")
                .register(registry);
    }

    /** Reports the main listener's certificates (see {@link TlsMeters}). */
    public void bindTls(ServerTls serverTls) {
        tls = new TlsMeters(registry, serverTls);
    }

    /** The registry, for readers of what is recorded (the dashboard reads the duration histograms back). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter in the Prometheus text format ({@code text/plain; version=0.0.4}) or OpenMetrics. */
    public byte[] scrape(String contentType) {
        refreshConfigInfo();
        WebSocketMeters ws = webSockets;
        if (ws != null) {
            ws.refresh();
        }
        TlsMeters certificates = tls;
        if (certificates != null) {
            certificates.refresh();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            registry.scrape(out, contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    /** A label cannot change in place: the info row is replaced when the loaded file's hash has changed. */
    private synchronized void refreshConfigInfo() {
        ReloadStats stats = config;
        if (stats == null) {
            return;
        }
        String hash = stats.loaded().sha256() == null ? "unknown" : stats.loaded().sha256();
        if (!hash.equals(configInfoHash)) {
            configInfo.register(List.of(MultiGauge.Row.of(Tags.of("sha256", hash), 1)), true);
            configInfoHash = hash;
        }
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
