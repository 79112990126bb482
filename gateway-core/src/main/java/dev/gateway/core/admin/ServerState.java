package dev.gateway.core.admin;

import dev.gateway.config.GatewayConfig;
import dev.gateway.core.acme.AcmeManager;
import dev.gateway.core.metrics.GatewayMetrics;
import dev.gateway.core.reload.ReloadOutcome;
import dev.gateway.core.reload.ReloadStats;
import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.core.tls.ServerTls;
import dev.gateway.core.traffic.RecentTraffic;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * What the admin endpoints read of the running server, and the one thing they may ask of it (a
 * reload). Implemented by the server; the admin package never sees how the server is built.
 */
public interface ServerState {

    String version();

    Instant startedAt();

    boolean isReady();

    InetSocketAddress mainAddress();

    InetSocketAddress adminAddress();

    String transportName();

    int openConnections();

    /** WebSockets being relayed now. */
    long openWebSockets();

    /** Recent traffic, errors and insights for the dashboard (sampled by the admin listener once a second). */
    RecentTraffic traffic();

    /** The routing snapshot in use now (routes, pools and their targets). */
    RoutingSnapshot snapshot();

    /** The configuration in use now. */
    GatewayConfig config();

    ReloadStats reloadStats();

    /** The main listener's certificates and engine, or null when it speaks plain HTTP. */
    ServerTls tls();

    /** The {@code [acme]} client, or null when it is not configured. */
    AcmeManager acme();

    GatewayMetrics metrics();

    /** Re-reads the configuration file off the event loops; see the server's reload. */
    CompletableFuture<ReloadOutcome> reload(String trigger);
}
