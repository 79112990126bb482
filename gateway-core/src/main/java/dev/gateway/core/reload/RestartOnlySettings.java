package dev.gateway.core.reload;

import dev.gateway.config.AdminConfig;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings a running gateway only takes at start-up: its listeners and TLS, event loops, transport,
 * connection limits, trusted proxies (the forwarder's), the admin listener's settings but its token,
 * and logging. A reload keeps the running
 * values of these, names each one that changed, and applies everything else.
 */
public final class RestartOnlySettings {

    private RestartOnlySettings() {
    }

    /** The configuration to run after a reload, and one line per setting left as it was. */
    public record Merged(GatewayConfig config, List<String> needsRestart) {
    }

    public static Merged merge(GatewayConfig running, GatewayConfig loaded) {
        ServerConfig was = running.server();
        ServerConfig now = loaded.server();
        List<String> kept = new ArrayList<>();
        compare(kept, "server.listen", was.listen(), now.listen());
        compare(kept, "server.tls", was.tls(), now.tls());
        compare(kept, "server.transport", was.transport(), now.transport());
        compare(kept, "server.io_threads", was.ioThreads(), now.ioThreads());
        compare(kept, "server.max_connections", was.maxConnections(), now.maxConnections());
        compare(kept, "server.trusted_proxies", was.trustedProxies(), now.trustedProxies());
        compare(kept, "server.http2, h2c and http2_*", was.http2(), now.http2());
        compare(kept, "admin.listen", running.admin().listen(), loaded.admin().listen());
        compare(kept, "admin.max_connections", running.admin().maxConnections(), loaded.admin().maxConnections());
        compare(kept, "admin.allowed_hosts", running.admin().allowedHosts(), loaded.admin().allowedHosts());
        compare(kept, "logging", running.logging(), loaded.logging());
        ServerConfig server = new ServerConfig(was.listen(), was.ioThreads(), was.transport(), was.trustedProxies(),
                was.maxConnections(), now.maxInitialLine(), now.maxHeaderSize(), now.maxBodySize(),
                now.headerTimeout(), now.bodyTimeout(), now.sendTimeout(), now.idleTimeout(), now.shutdownTimeout(),
                now.watchConfig(), now.underscoresInHeaders(), now.via(), was.http2(), was.tls());
        AdminConfig admin = new AdminConfig(running.admin().listen(), loaded.admin().token(),
                running.admin().maxConnections(), running.admin().allowedHosts());
        GatewayConfig merged = new GatewayConfig(loaded.source(), server, admin, running.logging(),
                loaded.staticSite(), loaded.routes(), loaded.upstreams(), loaded.compression(), loaded.access());
        return new Merged(merged, kept);
    }

    private static void compare(List<String> kept, String key, Object was, Object now) {
        if (!Objects.equals(was, now)) {
            kept.add(key + " changed (" + describe(was) + " -> " + describe(now) + "), needs a restart; keeping "
                    + describe(was));
        }
    }

    private static String describe(Object value) {
        if (value instanceof Optional) {
            return ((Optional<?>) value).map(String::valueOf).orElse("none");
        }
        return String.valueOf(value);
    }
}
