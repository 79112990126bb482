package dev.gateway.proxy.websocket;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open WebSocket connections and the bytes relayed through them, per route (by route name) and per
 * target (by target URL; a URL used by several pools is one backend and shares its counts). Written
 * on the event loops, read from any thread by the metrics exporter. Counts live as long as the
 * server, so they are continuous across reloads.
 */
public final class WebSocketMetrics {

    private final Map<String, Counts> routes = new ConcurrentHashMap<>();
    private final Map<String, Counts> targets = new ConcurrentHashMap<>();

    /** Counts by route name; entries appear with a route's first WebSocket. */
    public Map<String, Counts> byRoute() {
        return Collections.unmodifiableMap(routes);
    }

    /** Counts by target URL (e.g. {@code http://10.0.0.3:8080}); entries appear with a target's first WebSocket. */
    public Map<String, Counts> byTarget() {
        return Collections.unmodifiableMap(targets);
    }

    public Counts route(String name) {
        return routes.computeIfAbsent(name, n -> new Counts());
    }

    public Counts target(String url) {
        return targets.computeIfAbsent(url, u -> new Counts());
    }

    /** The counts of one route or target. */
    public static final class Counts {

        private final LongAdder open = new LongAdder();
        private final LongAdder opened = new LongAdder();
        private final LongAdder bytesFromClients = new LongAdder();
        private final LongAdder bytesFromTargets = new LongAdder();

        /** WebSocket connections open now (gauge). */
        public long open() {
            return open.sum();
        }

        /** WebSocket connections opened since start (counter). */
        public long opened() {
            return opened.sum();
        }

        /** Bytes relayed from clients to targets, WebSocket framing included (counter). */
        public long bytesFromClients() {
            return bytesFromClients.sum();
        }

        /** Bytes relayed from targets to clients, WebSocket framing included (counter). */
        public long bytesFromTargets() {
            return bytesFromTargets.sum();
        }

        void connectionOpened() {
            open.increment();
            opened.increment();
        }

        void connectionClosed() {
            open.decrement();
        }

        void relayed(boolean fromClient, long bytes) {
            (fromClient ? bytesFromClients : bytesFromTargets).add(bytes);
        }
    }
}
