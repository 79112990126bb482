package dev.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code [server]}: the public listener and the limits every client connection is held to.
 *
 * @param ioThreads event-loop threads; 0 means one per core
 * @param trustedProxies CIDRs whose X-Forwarded-* / Forwarded headers are kept
 * @param maxInitialLine longest request line in bytes (414 beyond)
 * @param maxHeaderSize total request header bytes (431 beyond)
 * @param maxBodySize request body bytes (413 beyond); 0 means unlimited
 * @param headerTimeout the whole request head must arrive within this, else the connection is closed
 * @param bodyTimeout longest silence of a client while the gateway reads its request body
 * @param sendTimeout longest time a client takes no bytes of a response the gateway is writing
 * @param idleTimeout a keep-alive connection with no request in flight is closed after this
 * @param shutdownTimeout drain window for in-flight requests on SIGTERM
 * @param watchConfig reload automatically when the config file changes
 * @param underscoresInHeaders keep request headers whose names contain '_' (dropped when false)
 * @param via the pseudonym the gateway adds to {@code Via} on proxied messages; empty adds none
 * @param http2 HTTP/2 towards clients: {@code h2} offered besides HTTP/1.1 in TLS ALPN (RFC 7301), h2c, limits
 */
public record ServerConfig(
        HostPort listen,
        int ioThreads,
        Transport transport,
        List<Cidr> trustedProxies,
        int maxConnections,
        int maxInitialLine,
        int maxHeaderSize,
        long maxBodySize,
        Duration headerTimeout,
        Duration bodyTimeout,
        Duration sendTimeout,
        Duration idleTimeout,
        Duration shutdownTimeout,
        boolean watchConfig,
        boolean underscoresInHeaders,
        String via,
        Http2Config http2,
        Optional<TlsConfig> tls) {

    public ServerConfig {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
