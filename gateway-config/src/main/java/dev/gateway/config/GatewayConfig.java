package dev.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated configuration: one immutable snapshot of {@code app_config.toml}.
 *
 * <p>Every route refers to its pool by name; a route with inline {@code targets} gets an
 * anonymous upstream named {@code route:<route name>} in {@link #upstreams()}.
 *
 * @param source the file this was read from (relative paths inside it are resolved against its directory)
 * @param staticSite the default site serving what no route matched, if configured
 * @param upstreams pools by name, in file order
 * @param acme automatic certificates, when configured
 * @param tracing {@code [tracing]}, {@link TracingConfig#OFF} without the table
 * @param compression {@code [compression]}: how routes that compress do it
 * @param access {@code [access]}: allow/deny lists of every route without its own
 */
public record GatewayConfig(
        Path source,
        ServerConfig server,
        AdminConfig admin,
        LoggingConfig logging,
        Optional<StaticSiteConfig> staticSite,
        List<RouteConfig> routes,
        Map<String, UpstreamConfig> upstreams,
        Optional<AcmeConfig> acme,
        TracingConfig tracing,
        CompressionConfig compression,
        AccessConfig access) {

    public GatewayConfig {
        routes = List.copyOf(routes);
        upstreams = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(upstreams));
    }

    /** A configuration without {@code [acme]}, {@code [tracing]}, {@code [compression]} and {@code [access]}. */
    public GatewayConfig(Path source, ServerConfig server, AdminConfig admin, LoggingConfig logging,
                         Optional<StaticSiteConfig> staticSite, List<RouteConfig> routes,
                         Map<String, UpstreamConfig> upstreams) {
        this(source, server, admin, logging, staticSite, routes, upstreams, Optional.empty(), TracingConfig.OFF);
    }

    /** A configuration without {@code [compression]} and {@code [access]}. */
    public GatewayConfig(Path source, ServerConfig server, AdminConfig admin, LoggingConfig logging,
                         Optional<StaticSiteConfig> staticSite, List<RouteConfig> routes,
                         Map<String, UpstreamConfig> upstreams, Optional<AcmeConfig> acme, TracingConfig tracing) {
        this(source, server, admin, logging, staticSite, routes, upstreams, acme, tracing, CompressionConfig.DEFAULTS,
                AccessConfig.NONE);
    }

    public UpstreamConfig upstream(String name) {
        UpstreamConfig upstream = upstreams.get(name);
        if (upstream == null) {
            throw new IllegalArgumentException("no upstream named '" + name + "'");
        }
        return upstream;
    }
}
