package dev.gateway.core.reload;

import dev.gateway.config.AdminConfig;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.HostPort;
import dev.gateway.config.Http2Config;
import dev.gateway.config.ServerConfig;
import dev.gateway.config.TlsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings a running gateway only takes at start-up: its listeners (whether the main one speaks TLS,
 * {@code redirect_from}), ALPN's {@code http2}, {@code [acme]}, event loops, transport,
 * connection limits, trusted proxies (the forwarder's), the admin listener's settings but its token,
 * logging and tracing. A reload keeps the running
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
        Optional<TlsConfig> tls = now.tls();
        if (was.tls().isPresent() != now.tls().isPresent()) {
            // http <-> https is a different listener; certificates and every other TLS key apply at once
            compare(kept, "server.tls", was.tls().isPresent() ? "present" : "none",
                    now.tls().isPresent() ? "present" : "none");
            tls = was.tls();
        } else if (was.tls().isPresent()) {
            Optional<HostPort> redirect = was.tls().get().redirectFrom();
            compare(kept, "server.tls.redirect_from", redirect, now.tls().get().redirectFrom());
            TlsConfig next = now.tls().get();
            tls = Optional.of(new TlsConfig(next.certificate(), next.certificates(), redirect, next.provider(),
                    next.minVersion(), next.ciphers(), next.clientAuth(), next.clientCa()));
        }
        compareHttp2(kept, was.http2(), now.http2());
        compare(kept, "acme", running.acme(), loaded.acme());
        compare(kept, "server.transport", was.transport(), now.transport());
        compare(kept, "server.io_threads", was.ioThreads(), now.ioThreads());
        compare(kept, "server.max_connections", was.maxConnections(), now.maxConnections());
        compare(kept, "server.trusted_proxies", was.trustedProxies(), now.trustedProxies());
        compare(kept, "admin.listen", running.admin().listen(), loaded.admin().listen());
        compare(kept, "admin.max_connections", running.admin().maxConnections(), loaded.admin().maxConnections());
        compare(kept, "admin.allowed_hosts", running.admin().allowedHosts(), loaded.admin().allowedHosts());
        compare(kept, "logging", running.logging(), loaded.logging());
        compare(kept, "tracing", running.tracing(), loaded.tracing());
        ServerConfig server = new ServerConfig(was.listen(), was.ioThreads(), was.transport(), was.trustedProxies(),
                was.maxConnections(), now.maxInitialLine(), now.maxHeaderSize(), now.maxBodySize(),
                now.headerTimeout(), now.bodyTimeout(), now.sendTimeout(), now.idleTimeout(), now.shutdownTimeout(),
                now.watchConfig(), now.underscoresInHeaders(), now.via(), was.http2(), tls);
        AdminConfig admin = new AdminConfig(running.admin().listen(), loaded.admin().token(),
                running.admin().maxConnections(), running.admin().allowedHosts());
        GatewayConfig merged = new GatewayConfig(loaded.source(), server, admin, running.logging(),
                loaded.staticSite(), loaded.routes(), loaded.upstreams(), running.acme(), running.tracing(),
                loaded.compression(), loaded.access());
        return new Merged(merged, kept);
    }

    /** The HTTP/2 settings are fixed in each connection's codec and in ALPN: each key is reported on its own. */
    private static void compareHttp2(List<String> kept, Http2Config was, Http2Config now) {
        compare(kept, "server.http2", was.enabled(), now.enabled());
        compare(kept, "server.h2c", was.cleartext(), now.cleartext());
        compare(kept, "server.http2_max_concurrent_streams", was.maxConcurrentStreams(), now.maxConcurrentStreams());
        compare(kept, "server.http2_stream_window", was.streamWindow(), now.streamWindow());
        compare(kept, "server.http2_connection_window", was.connectionWindow(), now.connectionWindow());
        compare(kept, "server.http2_header_table_size", was.headerTableSize(), now.headerTableSize());
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
