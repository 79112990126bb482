package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration with every key set. The original design's example had a route with
 * {@code path = "/api/*"} and {@code rewrite = "/v2/users/{id}"}, which names a parameter the path
 * does not have; here that line moves to a second route whose path has {@code :id}, and a test
 * shows the original text is refused for exactly that reason.
 */
class FullSchemaParsingTest {

    private static final String ROUTE_REWRITE = "rewrite = \"/v2/users/{id}\"       # optional, uses :params\n";

    private static final String FULL = """
            [server]
            listen = "0.0.0.0:8080"
            io_threads = 0                 # 0 = one per core
            transport = "auto"             # auto (epoll, else nio) | epoll | io_uring | nio
            trusted_proxies = []           # CIDRs whose X-Forwarded-* / Forwarded headers are kept
            max_connections = 10000
            max_initial_line = "8KiB"      # -> 414 beyond
            max_header_size = "16KiB"      # -> 431 beyond
            max_body_size = "100MiB"       # -> 413 beyond (0 = unlimited)
            header_timeout = "10s"         # whole request head must arrive within this (slowloris)
            idle_timeout = "75s"           # keep-alive idle
            shutdown_timeout = "30s"       # drain window on SIGTERM
            underscores_in_headers = false # request headers named with '_' are dropped
            via = "gateway"                # Via pseudonym; "" = no Via

            [server.tls]                   # optional; when present `listen` speaks HTTPS
            cert = "certs/server.crt"
            key = "certs/server.key"
            redirect_from = "0.0.0.0:8080" # optional plain-HTTP listener answering 308 to https

            [admin]                        # health, readiness, metrics, status, reload
            listen = "127.0.0.1:9901"
            max_connections = 16
            allowed_hosts = ["Gateway-Admin.internal", "admin"]   # besides IP literals and localhost

            [logging]
            level = "info"
            access_log = "stdout"          # stdout | off | a file path
            access_format = "json"         # json | combined
            file = ""                      # application log file; empty = console
            max_file_size = "50MiB"
            max_history = 7

            [static]                       # default site: serves what no route matched
            root = "public"
            index = "index.html"
            spa_fallback = false           # unknown paths without a file extension -> index.html
            cache_control = "public, max-age=300"

            [[routes]]                     # most specific match wins
            name = "api"                   # used in logs and metrics; default derived from path
            path = "/api/*"                # "/exact", "/users/:id", "/prefix/*", "/*"
            host = "api.example.com"       # optional; "*.example.com" allowed
            methods = ["GET", "POST"]      # optional
            # exactly one action:
            upstream = "api"               #   a named pool below
            # targets = ["http://..."]     #   or an inline pool with default settings
            # static = "public/docs"       #   or a directory
            # redirect = "https://..."     #   or a redirect (status = 301|302|307|308)
            strip_prefix = false           # true: "/api/users" is forwarded as "/users"
            @REWRITE@\
            preserve_host = true           # send the client's Host (false: the target's host)
            timeout = "30s"                # first response byte must arrive within this -> 504
            retries = 1                    # extra attempts, idempotent requests only
            websocket = false              # true: Upgrade: websocket requests are relayed
            websocket_idle_timeout = "1h"  # an open WebSocket with no bytes either way for this long is closed
            request_headers = { set = { "X-Env" = "prod" }, remove = ["X-Debug"] }
            response_headers = { set = { "Strict-Transport-Security" = "max-age=31536000" }, remove = ["Server"] }
            rate_limit = { rate = 100, per = "1s", burst = 200, key = "client_ip" }   # -> 429 + Retry-After
            @MORE@
            [upstreams.api]
            targets = ["http://127.0.0.1:3000", { url = "http://127.0.0.1:3001", weight = 3 }]
            strategy = "round_robin"       # round_robin | weighted_round_robin | least_connections | random
                                           # | power_of_two | ip_hash | consistent_hash | least_response_time
            hash_key = "client_ip"         # consistent_hash: client_ip | header:NAME | cookie:NAME | path
            sticky_cookie = "GW_AFFINITY"  # optional: pin a client to a target (WebSocket too)
            connect_timeout = "2s"
            max_idle_per_target = 64      # per event loop
            pool_idle_timeout = "30s"      # keep below the targets' own keep-alive timeout
            max_requests_per_connection = 1000
            all_unhealthy = "fail"         # fail (503) | ignore_health (spread over all targets)

            [upstreams.api.health_check]   # active checks; targets start healthy, first check at start-up
            type = "http"                  # http | websocket | tcp
            path = "/health"
            interval = "5s"
            timeout = "2s"
            healthy_threshold = 2          # consecutive passes to come back
            unhealthy_threshold = 3        # consecutive failures to go out
            expected_status = "200-399"

            [upstreams.api.circuit_breaker] # per target, fed by real traffic (passive)
            consecutive_failures = 5       # trip after this many failures in a row
            failure_rate = 50              # or: >= this % failures ...
            window = 20                    # ... over the last N calls
            minimum_calls = 10             # ... once at least this many were seen
            slow_call_duration = "5s"      # a call slower than this counts as slow
            slow_call_rate = 100           # trip when >= this % of the window is slow (100: only if all are)
            open_duration = "10s"          # first ejection; doubles on each re-trip up to max_open_duration
            max_open_duration = "5m"
            half_open_requests = 3         # trial requests let through when open_duration has passed
            max_ejected_percent = 50       # never eject more than this share of a pool's targets
            failure_statuses = [502, 503, 504]  # response statuses that count as failures
            """;

    private static final String USERS_ROUTE = """

            [[routes]]
            path = "/users/:id"
            upstream = "api"
            """ + ROUTE_REWRITE;

    @TempDir
    Path dir;

    @BeforeEach
    void files() {
        ConfigFiles.mkdirs(dir, "public");
        ConfigFiles.mkdirs(dir, "certs");
        dev.gateway.testkit.TestPki.selfSigned("localhost").write(dir.resolve("certs"), "server");
    }

    @Test
    void serverAndTlsParseToTheExpectedRecords() throws Exception {
        ServerConfig server = parseFull().server();

        assertThat(server).isEqualTo(new ServerConfig(new HostPort("0.0.0.0", 8080), 0, Transport.AUTO, List.of(),
                10_000, 8192, 16384, 104_857_600L, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofSeconds(75),
                Duration.ofSeconds(30), false, false, "gateway", new Http2Config(true, false, 100, 65536, 1048576, 4096), Optional.of(new TlsConfig(
                Optional.of(new CertificateFiles(abs("certs/server.crt"), abs("certs/server.key"), "server.tls")),
                List.of(), Optional.of(new HostPort("0.0.0.0", 8080)), TlsConfig.Provider.AUTO, "TLSv1.2",
                TlsConfig.INTERMEDIATE_CIPHERS, TlsConfig.ClientAuth.NONE, Optional.empty()))));
    }

    @Test
    void adminLoggingAndStaticParseToTheExpectedRecords() throws Exception {
        GatewayConfig config = parseFull();

        assertThat(config.admin()).isEqualTo(new AdminConfig(new HostPort("127.0.0.1", 9901), Optional.empty(), 16,
                List.of("gateway-admin.internal", "admin")));
        assertThat(config.logging()).isEqualTo(new LoggingConfig("info", "stdout", LoggingConfig.AccessLogFormat.JSON,
                LoggingConfig.LogFormat.TEXT, Optional.empty(), 52_428_800L, 7));
        assertThat(config.staticSite()).contains(new StaticSiteConfig(abs("public"), "index.html", false,
                "public, max-age=300"));
    }

    @Test
    void routesParseToTheExpectedRecords() throws Exception {
        List<RouteConfig> routes = parseFull().routes();

        assertThat(routes).containsExactly(
                new RouteConfig("api", "/api/*", Optional.of("api.example.com"), Set.of("GET", "POST"),
                        new RouteAction.Proxy("api"), false, Optional.empty(), true, Duration.ofSeconds(30), 1, false,
                        Duration.ofHours(1),
                        new HeaderRules(Map.of("X-Env", "prod"), List.of("X-Debug")),
                        new HeaderRules(Map.of("Strict-Transport-Security", "max-age=31536000"), List.of("Server")),
                        Optional.of(new RateLimitConfig(100, Duration.ofSeconds(1), 200, "client_ip"))),
                new RouteConfig("users-id", "/users/:id", Optional.empty(), Set.of(), new RouteAction.Proxy("api"),
                        false, Optional.of("/v2/users/{id}"), true, Duration.ofSeconds(30), 1, false,
                        Duration.ofHours(1), HeaderRules.NONE, HeaderRules.NONE, Optional.empty()));
    }

    @Test
    void upstreamParsesToTheExpectedRecord() throws Exception {
        GatewayConfig config = parseFull();

        assertThat(config.upstreams()).containsOnlyKeys("api");
        assertThat(config.upstream("api")).isEqualTo(new UpstreamConfig("api",
                List.of(new TargetConfig("http://127.0.0.1:3000", false, "127.0.0.1", 3000, 1),
                        new TargetConfig("http://127.0.0.1:3001", false, "127.0.0.1", 3001, 3)),
                Strategy.ROUND_ROBIN, "client_ip", Optional.of("GW_AFFINITY"), Duration.ofSeconds(2), 64,
                Duration.ofSeconds(30), 1000, UpstreamConfig.AllUnhealthy.FAIL,
                Optional.of(new HealthCheckConfig(HealthCheckConfig.Type.HTTP, "/health", Duration.ofSeconds(5),
                        Duration.ofSeconds(2), 2, 3, new HealthCheckConfig.StatusRange(200, 399))),
                new CircuitBreakerConfig(5, 50, 20, 10, Duration.ofSeconds(5), 100, Duration.ofSeconds(10),
                        Duration.ofMinutes(5), 3, 50, Set.of(502, 503, 504)), UpstreamConfig.Protocol.HTTP1,
                UpstreamTlsConfig.DEFAULT));
    }

    @Test
    void verbatimDesignExampleIsRefusedOnlyForItsRewriteOfAMissingParameter() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, full(ROUTE_REWRITE, ""));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).keyPath()).isEqualTo("routes[0].rewrite");
        assertThat(problems.get(0).message()).contains("'{id}' is not a parameter of path \"/api/*\"");
        assertThat(problems.get(0).line()).hasValue(lineOf(full(ROUTE_REWRITE, ""), "rewrite ="));
    }

    @Test
    void headerSettingsOtherThanTheDefaultsParse() throws Exception {
        ServerConfig server = ConfigFiles.parse(dir, """
                [server]
                underscores_in_headers = true
                via = "edge-1.example"
                """).server();

        assertThat(server.underscoresInHeaders()).isTrue();
        assertThat(server.via()).isEqualTo("edge-1.example");
        assertThat(ConfigFiles.parse(dir, "[server]\nvia = \"\"\n").server().via()).as("Via off").isEmpty();
    }

    @Test
    void everyOtherStrategyAndEnumValueIsAccepted() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [server]
                transport = "io_uring"
                [logging]
                level = "warn"
                access_format = "combined"
                format = "json"
                [upstreams.a]
                targets = ["http://a"]
                strategy = "least_response_time"
                all_unhealthy = "ignore_health"
                [upstreams.a.health_check]
                type = "websocket"
                [upstreams.b]
                targets = ["http://b"]
                strategy = "consistent_hash"
                hash_key = "header:X-User"
                [upstreams.b.health_check]
                type = "tcp"
                """);

        assertThat(config.server().transport()).isEqualTo(Transport.IO_URING);
        assertThat(config.logging().level()).isEqualTo("warn");
        assertThat(config.logging().accessFormat()).isEqualTo(LoggingConfig.AccessLogFormat.COMBINED);
        assertThat(config.logging().format()).isEqualTo(LoggingConfig.LogFormat.JSON);
        assertThat(config.upstream("a").strategy()).isEqualTo(Strategy.LEAST_RESPONSE_TIME);
        assertThat(config.upstream("a").allUnhealthy()).isEqualTo(UpstreamConfig.AllUnhealthy.IGNORE_HEALTH);
        assertThat(config.upstream("a").healthCheck().orElseThrow().type()).isEqualTo(HealthCheckConfig.Type.WEBSOCKET);
        assertThat(config.upstream("b").strategy()).isEqualTo(Strategy.CONSISTENT_HASH);
        assertThat(config.upstream("b").hashKey()).isEqualTo("header:X-User");
        assertThat(config.upstream("b").healthCheck().orElseThrow().type()).isEqualTo(HealthCheckConfig.Type.TCP);
        assertThat(config.upstreams()).containsOnlyKeys("a", "b");
        assertThat(List.copyOf(config.upstreams().keySet())).containsExactly("a", "b");
    }

    private GatewayConfig parseFull() throws ConfigException {
        return ConfigFiles.parse(dir, full("", USERS_ROUTE));
    }

    private static String full(String rewrite, String moreRoutes) {
        return FULL.replace("@REWRITE@", rewrite).replace("@MORE@", moreRoutes);
    }

    private Path abs(String relative) {
        return dir.resolve(relative).toAbsolutePath().normalize();
    }

    static int lineOf(String text, String fragment) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(fragment)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + fragment);
    }
}
