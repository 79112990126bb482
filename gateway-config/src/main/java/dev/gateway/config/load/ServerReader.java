package dev.gateway.config.load;

import dev.gateway.config.Cidr;
import dev.gateway.config.HostPort;
import dev.gateway.config.Http2Config;
import dev.gateway.config.ServerConfig;
import dev.gateway.config.Transport;
import dev.gateway.config.toml.ConfigValue;
import dev.gateway.config.toml.HttpSyntax;
import dev.gateway.config.toml.Sizes;
import dev.gateway.config.toml.TableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code [server]} and {@code [server.tls]}.
 *
 * <p>DEFAULTS (chosen to match what nginx and Envoy users expect):
 * <pre>
 * listen            "0.0.0.0:8080"   ("[::1]:80", ":8080" = 0.0.0.0, port 0 = any free port)
 * io_threads        0                0 = one per core; 0-1024
 * transport         auto             auto | epoll | io_uring | nio
 * trusted_proxies   []               CIDRs or bare addresses
 * max_connections   10000            &gt; 0
 * max_initial_line  8KiB             414 beyond
 * max_header_size   16KiB            431 beyond
 * max_body_size     100MiB           413 beyond; 0 = unlimited
 * header_timeout    10s
 * body_timeout      60s              nginx's client_body_timeout
 * send_timeout      60s              nginx's send_timeout
 * idle_timeout      75s              nginx's keepalive_timeout
 * shutdown_timeout  30s              0 = close at once
 * watch_config      false
 * underscores_in_headers false       true keeps request headers named with '_' (nginx's default: dropped)
 * via               "gateway"        Via pseudonym on proxied requests and responses: a token; "" = no Via
 * http2             true             offer h2 in TLS ALPN besides http/1.1
 * tls               none             see {@link TlsReader}
 * </pre>
 */
final class ServerReader {

    static final HostPort DEFAULT_LISTEN = new HostPort("0.0.0.0", 8080);
    static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    static final long DEFAULT_MAX_INITIAL_LINE = 8 * Sizes.KIB;
    static final long DEFAULT_MAX_HEADER_SIZE = 16 * Sizes.KIB;
    static final long DEFAULT_MAX_BODY_SIZE = 100 * Sizes.MIB;
    static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);
    static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    static final String DEFAULT_VIA = "gateway";
    static final int DEFAULT_H2_MAX_CONCURRENT_STREAMS = 100;
    static final long DEFAULT_H2_STREAM_WINDOW = 64 * Sizes.KIB;
    static final long DEFAULT_H2_CONNECTION_WINDOW = Sizes.MIB;
    static final long DEFAULT_H2_HEADER_TABLE_SIZE = 4 * Sizes.KIB;

    static final Set<String> KEYS = Set.of("listen", "io_threads", "transport", "trusted_proxies", "max_connections",
            "max_initial_line", "max_header_size", "max_body_size", "header_timeout", "body_timeout", "send_timeout",
            "idle_timeout", "shutdown_timeout", "watch_config", "underscores_in_headers", "via", "http2", "h2c",
            "http2_max_concurrent_streams", "http2_stream_window", "http2_connection_window", "http2_header_table_size",
            "tls");

    private ServerReader() {
    }

    /** @param acme whether {@code [acme]} is present (it may provide every certificate) */
    static ServerConfig read(TableReader server, boolean acme) {
        return new ServerConfig(
                listen(server, "listen", DEFAULT_LISTEN),
                server.integer("io_threads", 0, 0, 1024),
                server.choice("transport", Transport.AUTO),
                server.list("trusted_proxies", List.of(), v -> Cidr.parse(v.string())),
                server.integer("max_connections", DEFAULT_MAX_CONNECTIONS, 1, Integer.MAX_VALUE),
                (int) server.size("max_initial_line", DEFAULT_MAX_INITIAL_LINE, 1, Integer.MAX_VALUE),
                (int) server.size("max_header_size", DEFAULT_MAX_HEADER_SIZE, 1, Integer.MAX_VALUE),
                server.size("max_body_size", DEFAULT_MAX_BODY_SIZE, 0, Long.MAX_VALUE),
                server.duration("header_timeout", DEFAULT_HEADER_TIMEOUT),
                server.duration("body_timeout", DEFAULT_BODY_TIMEOUT),
                server.duration("send_timeout", DEFAULT_SEND_TIMEOUT),
                server.duration("idle_timeout", DEFAULT_IDLE_TIMEOUT),
                server.durationOrZero("shutdown_timeout", DEFAULT_SHUTDOWN_TIMEOUT),
                server.bool("watch_config", false),
                server.bool("underscores_in_headers", false),
                server.get("via", DEFAULT_VIA, ServerReader::via),
                http2(server),
                TlsReader.read(server.table("tls", TlsReader.KEYS), acme));
    }

    /** RFC 9110 §7.6.3: a pseudonym is a token; empty turns Via off. */
    private static String via(ConfigValue value) {
        String via = value.string();
        if (!via.isEmpty() && !HttpSyntax.isToken(via)) {
            throw new IllegalArgumentException("'" + via + "' is not a token (letters, digits and !#$%&'*+-.^_`|~), "
                    + "or \"\" for no Via");
        }
        return via;
    }

    /**
     * HTTP/2 limits, within what RFC 9113 allows: windows up to 2^31-1 bytes (§6.9.1), at least the
     * 65,535 bytes a peer may send before any update; stream counts that leave room to work.
     */
    private static Http2Config http2(TableReader server) {
        return new Http2Config(
                server.bool("http2", true),
                server.bool("h2c", false),
                server.integer("http2_max_concurrent_streams", DEFAULT_H2_MAX_CONCURRENT_STREAMS, 1, 10_000),
                (int) server.size("http2_stream_window", DEFAULT_H2_STREAM_WINDOW, 65_535, Integer.MAX_VALUE),
                (int) server.size("http2_connection_window", DEFAULT_H2_CONNECTION_WINDOW, 65_535, Integer.MAX_VALUE),
                (int) server.size("http2_header_table_size", DEFAULT_H2_HEADER_TABLE_SIZE, 0, 1 << 20));
    }

    static HostPort listen(TableReader table, String key, HostPort def) {
        return table.get(key, def, v -> ListenAddresses.parse(v.string()));
    }

    /** A file that exists and can be read, as an absolute path. */
    static Path readableFile(ConfigValue value) {
        String text = value.string();
        Path file = value.ctx().resolve(text);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file " + file + " does not exist or is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("file " + file + " is not readable");
        }
        return file;
    }
}
