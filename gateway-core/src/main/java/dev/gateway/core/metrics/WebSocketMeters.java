package dev.gateway.core.metrics;

import dev.gateway.proxy.websocket.WebSocketMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Set;

/**
 * The proxy's {@link WebSocketMetrics} as meters: {@code gateway_open_websockets{route}},
 * {@code gateway_websockets_total{route}} (opened), {@code gateway_websocket_bytes_total{route,direction}}
 * ({@code from_client}, {@code from_target}) and {@code gateway_target_open_websockets{target}}.
 * A route or target appears in the proxy's counts with its first WebSocket; {@link #refresh()}
 * (before each scrape) registers the meters of those it has not seen yet, so nothing is added to
 * the relay path.
 */
final class WebSocketMeters {

    private final MeterRegistry registry;
    private final WebSocketMetrics source;
    private final Set<String> routes = new HashSet<>();
    private final Set<String> targets = new HashSet<>();

    WebSocketMeters(MeterRegistry registry, WebSocketMetrics source) {
        this.registry = registry;
        this.source = source;
    }

    synchronized void refresh() {
        source.byRoute().forEach((route, counts) -> {
            if (!routes.add(route)) {
                return;
            }
            Gauge.builder("gateway.open.websockets", counts, WebSocketMetrics.Counts::open)
                    .description("WebSocket connections being relayed now")
                    .tag("route", route).strongReference(true).register(registry);
            FunctionCounter.builder("gateway.websockets", counts, WebSocketMetrics.Counts::opened)
                    .description("WebSocket connections opened (101 relayed)")
                    .tag("route", route).register(registry);
            FunctionCounter.builder("gateway.websocket", counts, WebSocketMetrics.Counts::bytesFromClients)
                    .baseUnit("bytes").description("Bytes relayed through WebSockets, framing included")
                    .tags("route", route, "direction", "from_client").register(registry);
            FunctionCounter.builder("gateway.websocket", counts, WebSocketMetrics.Counts::bytesFromTargets)
                    .baseUnit("bytes").description("Bytes relayed through WebSockets, framing included")
                    .tags("route", route, "direction", "from_target").register(registry);
        });
        source.byTarget().forEach((target, counts) -> {
            if (targets.add(target)) {
                Gauge.builder("gateway.target.open.websockets", counts, WebSocketMetrics.Counts::open)
                        .description("WebSocket connections relayed to the target now")
                        .tag("target", target).strongReference(true).register(registry);
            }
        });
    }
}
