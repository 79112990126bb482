package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gateway.config.load.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDefaultsTest {

    private static final String SMALLEST = """
            [[routes]]
            path = "/api/*"
            targets = ["http://127.0.0.1:3000", "http://127.0.0.1:3001"]

            [static]
            root = "public"
            """;

    @TempDir
    Path dir;

    @Test
    void smallestFileGetsServerDefaults() throws Exception {
        ConfigFiles.mkdirs(dir, "public");
        ServerConfig server = ConfigFiles.parse(dir, SMALLEST).server();

        assertThat(server).isEqualTo(new ServerConfig(new HostPort("0.0.0.0", 8080), 0, Transport.AUTO, List.of(),
                10_000, 8 * 1024, 16 * 1024, 100L * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(75),
                Duration.ofSeconds(30), false, false, "gateway", new Http2Config(true, false, 100, 65536, 1048576, 4096), Optional.empty()));
    }

    @Test
    void smallestFileGetsAdminAndLoggingDefaults() throws Exception {
        ConfigFiles.mkdirs(dir, "public");
        GatewayConfig config = ConfigFiles.parse(dir, SMALLEST);

        assertThat(config.admin()).isEqualTo(new AdminConfig(new HostPort("127.0.0.1", 9901), Optional.empty(), 64, List.of()));
        assertThat(config.logging()).isEqualTo(new LoggingConfig("info", "stdout", LoggingConfig.AccessLogFormat.JSON,
                LoggingConfig.LogFormat.TEXT, Optional.empty(), 50L * 1024 * 1024, 7));
        assertThat(config.logging().accessLogEnabled()).isTrue();
    }

    @Test
    void staticSectionResolvesRootAgainstConfigDirectory() throws Exception {
        Path publicDir = ConfigFiles.mkdirs(dir, "public");
        GatewayConfig config = ConfigFiles.parse(dir, SMALLEST);

        assertThat(config.staticSite()).contains(new StaticSiteConfig(publicDir.toAbsolutePath().normalize(),
                "index.html", false, ""));
        assertThat(config.source()).isEqualTo(dir.resolve("app_config.toml").toAbsolutePath().normalize());
    }

    @Test
    void inlineTargetsBecomeAnUpstreamNamedAfterTheRouteWithEveryDefault() throws Exception {
        ConfigFiles.mkdirs(dir, "public");
        GatewayConfig config = ConfigFiles.parse(dir, SMALLEST);

        assertThat(config.routes()).containsExactly(new RouteConfig("api", "/api/*", Optional.empty(), Set.of(),
                new RouteAction.Proxy("route:api"), false, Optional.empty(), true, Duration.ofSeconds(30), 1, false,
                Duration.ofHours(1), HeaderRules.NONE, HeaderRules.NONE, Optional.empty()));
        assertThat(config.upstreams()).containsOnlyKeys("route:api");
        assertThat(config.upstream("route:api")).isEqualTo(new UpstreamConfig("route:api",
                List.of(new TargetConfig("http://127.0.0.1:3000", false, "127.0.0.1", 3000, 1),
                        new TargetConfig("http://127.0.0.1:3001", false, "127.0.0.1", 3001, 1)),
                Strategy.ROUND_ROBIN, "client_ip", Optional.empty(), Duration.ofSeconds(5), 1024,
                Duration.ofSeconds(30), 1000, UpstreamConfig.AllUnhealthy.FAIL, Optional.empty(),
                defaultBreaker(), UpstreamConfig.Protocol.HTTP1, UpstreamTlsConfig.DEFAULT));
    }

    @Test
    void namedUpstreamWithOnlyTargetsHasNoHealthCheckAndADefaultBreaker() throws Exception {
        UpstreamConfig api = ConfigFiles.parse(dir, """
                [upstreams.api]
                targets = ["https://backend.internal"]
                """).upstream("api");

        assertThat(api.targets()).containsExactly(new TargetConfig("https://backend.internal", true,
                "backend.internal", 443, 1));
        assertThat(api.strategy()).isEqualTo(Strategy.ROUND_ROBIN);
        assertThat(api.healthCheck()).isEmpty();
        assertThat(api.circuitBreaker()).isEqualTo(defaultBreaker());
    }

    @Test
    void emptyHealthCheckTableTurnsChecksOnWithDefaults() throws Exception {
        UpstreamConfig api = ConfigFiles.parse(dir, """
                [upstreams.api]
                targets = ["http://10.0.0.1:8080"]
                [upstreams.api.health_check]
                """).upstream("api");

        assertThat(api.healthCheck()).contains(new HealthCheckConfig(HealthCheckConfig.Type.HTTP, "/health",
                Duration.ofSeconds(5), Duration.ofSeconds(2), 2, 3, new HealthCheckConfig.StatusRange(200, 399)));
    }

    @Test
    void redirectRouteDefaultsTo302() throws Exception {
        RouteConfig route = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/old/*"
                redirect = "https://example.com/"
                """).routes().get(0);

        assertThat(route.name()).isEqualTo("old");
        assertThat(route.action()).isEqualTo(new RouteAction.Redirect("https://example.com/", 302));
    }

    @Test
    void staticRouteGetsSiteDefaults() throws Exception {
        Path docs = ConfigFiles.mkdirs(dir, "public/docs");
        RouteConfig route = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/docs/*"
                static = "public/docs"
                """).routes().get(0);

        assertThat(route.action()).isEqualTo(new RouteAction.Static(new StaticSiteConfig(
                docs.toAbsolutePath().normalize(), "index.html", false, "")));
    }

    @Test
    void emptyFileIsAValidConfigWithNoRoutes() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, "");

        assertThat(config.routes()).isEmpty();
        assertThat(config.upstreams()).isEmpty();
        assertThat(config.staticSite()).isEmpty();
        assertThat(config.server().listen()).isEqualTo(new HostPort("0.0.0.0", 8080));
    }

    @Test
    void loadReadsTheFileFromDisk() throws Exception {
        ConfigFiles.mkdirs(dir, "public");
        Path file = ConfigFiles.write(dir, "app_config.toml", SMALLEST);

        GatewayConfig config = ConfigLoader.load(file, Map.of());

        assertThat(config.routes()).extracting(RouteConfig::name).containsExactly("api");
        assertThat(config.source()).isEqualTo(file.toAbsolutePath().normalize());
    }

    @Test
    void resultIsImmutable() throws Exception {
        ConfigFiles.mkdirs(dir, "public");
        GatewayConfig config = ConfigFiles.parse(dir, SMALLEST);

        assertThatThrownBy(() -> config.routes().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.upstreams().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.upstream("route:api").targets().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    static CircuitBreakerConfig defaultBreaker() {
        return new CircuitBreakerConfig(5, 50, 20, 10, Duration.ofSeconds(5), 100, Duration.ofSeconds(10),
                Duration.ofMinutes(5), 3, 50, Set.of(502, 503, 504));
    }
}
