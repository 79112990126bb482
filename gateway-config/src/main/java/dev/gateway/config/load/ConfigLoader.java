package dev.gateway.config.load;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.gateway.config.AccessConfig;
import dev.gateway.config.AcmeConfig;
import dev.gateway.config.AdminConfig;
import dev.gateway.config.CompressionConfig;
import dev.gateway.config.ConfigException;
import dev.gateway.config.ConfigProblem;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.LoggingConfig;
import dev.gateway.config.RouteAction;
import dev.gateway.config.RouteConfig;
import dev.gateway.config.ServerConfig;
import dev.gateway.config.StaticSiteConfig;
import dev.gateway.config.TlsConfig;
import dev.gateway.config.TracingConfig;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.config.toml.LineIndex;
import dev.gateway.config.toml.ReadContext;
import dev.gateway.config.toml.TableReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads {@code app_config.toml} into a validated, immutable {@link GatewayConfig}.
 *
 * <p>Every problem in the file is reported at once, each with its key path and, where it can be
 * found, its line: an operator fixing a config should not have to restart the gateway once per
 * mistake. The defaults of each section are documented on its reader: {@code ServerReader},
 * {@code AdminReader}, {@code LoggingReader}, {@code StaticSiteReader}, {@code RouteReader},
 * {@code RateLimitReader}, {@code UpstreamReader}, {@code HealthCheckReader},
 * {@code CircuitBreakerReader}, {@code TracingReader}, {@code CompressionReader}, {@code AccessReader},
 * {@code AuthReaders}, {@code CorsReader}.
 */
public final class ConfigLoader {

    private static final TomlMapper TOML = new TomlMapper();
    private static final Set<String> KEYS = Set.of("server", "admin", "logging", "static", "routes", "upstreams", "acme",
            "tracing", "compression", "access");

    private ConfigLoader() {
    }

    /** Reads {@code file}, taking {@code ${VAR}} values from the process environment. */
    public static GatewayConfig load(Path file) throws ConfigException {
        return load(file, System.getenv());
    }

    public static GatewayConfig load(Path file, Map<String, String> env) throws ConfigException {
        String toml;
        try {
            toml = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem("", OptionalInt.empty(),
                    "cannot read config file " + file.toAbsolutePath() + ": " + reason(e))));
        }
        return parse(toml, file, env);
    }

    /**
     * Parses TOML text.
     *
     * @param source the file the text came from: relative paths in it are resolved against its
     *               directory (the working directory when it has none)
     */
    public static GatewayConfig parse(String toml, Path source, Map<String, String> env) throws ConfigException {
        JsonNode tree;
        try {
            tree = TOML.readTree(toml);
        } catch (JacksonException e) {
            JsonLocation location = e.getLocation();
            OptionalInt line = location == null || location.getLineNr() < 1
                    ? OptionalInt.empty() : OptionalInt.of(location.getLineNr());
            throw new ConfigException(List.of(new ConfigProblem("", line, "invalid TOML: " + e.getOriginalMessage())));
        }
        Path file = source.toAbsolutePath().normalize();
        Path dir = file.getParent() == null ? Path.of("").toAbsolutePath() : file.getParent();
        ReadContext ctx = new ReadContext(dir, Map.copyOf(env), LineIndex.of(toml));
        ObjectNode root = tree != null && tree.isObject() ? (ObjectNode) tree : TOML.createObjectNode();
        GatewayConfig config = read(ctx, new TableReader(ctx, "", root, KEYS), file);
        if (ctx.hasProblems()) {
            throw new ConfigException(ctx.problems());
        }
        return config;
    }

    private static GatewayConfig read(ReadContext ctx, TableReader root, Path file) {
        ServerConfig server = ServerReader.read(root.table("server", ServerReader.KEYS), root.has("acme"));
        AdminConfig admin = AdminReader.read(root.table("admin", AdminReader.KEYS));
        LoggingConfig logging = LoggingReader.read(root.table("logging", LoggingReader.KEYS));
        Optional<StaticSiteConfig> staticSite = StaticSiteReader.read(root.table("static", StaticSiteReader.KEYS));
        TableReader upstreamTables = root.table("upstreams", null);
        Map<String, UpstreamConfig> upstreams = new LinkedHashMap<>(UpstreamReader.readAll(upstreamTables));
        RoutesReader.Result routes = RoutesReader.read(ctx, root.tables("routes", RouteReader.KEYS),
                Set.copyOf(upstreamTables.keys()));
        upstreams.putAll(routes.inlinePools());
        webSocketsNeedHttp1(ctx, routes.routes(), upstreams);
        Optional<AcmeConfig> acme = AcmeReader.read(root.table("acme", AcmeReader.KEYS), routes.routes(),
                server.tls().isPresent(), server.tls().flatMap(TlsConfig::redirectFrom).isPresent());
        TracingConfig tracing = TracingReader.read(root.table("tracing", TracingReader.KEYS));
        CompressionConfig compression = CompressionReader.read(root.table("compression", CompressionReader.KEYS));
        AccessConfig access = AccessReader.global(root.table("access", AccessReader.KEYS));
        return new GatewayConfig(file, server, admin, logging, staticSite, routes.routes(), upstreams, acme, tracing,
                compression, access);
    }

    /** A WebSocket handshake is an HTTP/1.1 upgrade (RFC 6455 §4): its pool must speak HTTP/1.1. */
    private static void webSocketsNeedHttp1(ReadContext ctx, List<RouteConfig> routes,
                                            Map<String, UpstreamConfig> upstreams) {
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig route = routes.get(i);
            if (route.websocket() && route.action() instanceof RouteAction.Proxy) {
                UpstreamConfig pool = upstreams.get(((RouteAction.Proxy) route.action()).upstream());
                if (pool != null && pool.protocol() != UpstreamConfig.Protocol.HTTP1) {
                    ctx.problem("routes[" + i + "].websocket", "WebSocket routes need a pool with protocol = \"http1\" ("
                            + pool.name() + " speaks " + pool.protocol().name().toLowerCase(java.util.Locale.ROOT) + ")");
                }
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof MalformedInputException) {
            return "not valid UTF-8";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
