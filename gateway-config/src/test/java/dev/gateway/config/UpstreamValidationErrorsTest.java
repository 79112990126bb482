package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UpstreamValidationErrorsTest {

    private static final String TARGETS = "targets = [\"http://127.0.0.1:3000\"]\n";

    @TempDir
    Path dir;

    static Stream<Arguments> singleMistakes() {
        return Stream.of(
                // targets
                pool("strategy = \"random\"", "upstreams.api.targets", "missing required key 'targets'"),
                pool("targets = []", "upstreams.api.targets", "no targets (expected at least one"),
                pool("targets = \"http://a\"", "upstreams.api.targets", "expected an array, got string"),
                pool("targets = [\"http://a:3000/api\"]", "upstreams.api.targets[0]",
                        "'http://a:3000/api' has a path; a target URL is only scheme://host:port (to change the "
                                + "forwarded path, use the route's `rewrite` or `strip_prefix`)"),
                pool("targets = [\"http://a:3000?x=1\"]", "upstreams.api.targets[0]", "has a query string"),
                pool("targets = [\"http://a:3000/?x=1\"]", "upstreams.api.targets[0]", "has a query string"),
                pool("targets = [\"http://a:3000#top\"]", "upstreams.api.targets[0]", "has a fragment"),
                pool("targets = [\"http://user:pw@a:3000\"]", "upstreams.api.targets[0]", "has user info"),
                pool("targets = [\"ftp://a\"]", "upstreams.api.targets[0]", "is not an http:// or https:// URL"),
                pool("targets = [\"127.0.0.1:3000\"]", "upstreams.api.targets[0]", "is not an http:// or https:// URL"),
                pool("targets = [\"http://a:0\"]", "upstreams.api.targets[0]", "'0' in 'http://a:0' is not a port (expected: 1-65535)"),
                pool("targets = [\"http://a:http\"]", "upstreams.api.targets[0]", "is not a port"),
                pool("targets = [\"http://[::zz]:80\"]", "upstreams.api.targets[0]", "invalid IPv6 address"),
                pool("targets = [\"http://bad_host!\"]", "upstreams.api.targets[0]", "has an invalid host"),
                pool("targets = [42]", "upstreams.api.targets[0]",
                        "expected a URL string or a table { url = \"...\", weight = 1 }, got integer"),
                pool("targets = [\"http://a\", { url = \"http://b\", weight = 0 }]", "upstreams.api.targets[1].weight",
                        "0 (expected: 1-1000)"),
                pool("targets = [{ url = \"http://b\", weight = 1001 }]", "upstreams.api.targets[0].weight", "1001 (expected: 1-1000)"),
                pool("targets = [{ weight = 2 }]", "upstreams.api.targets[0].url", "missing required key 'url'"),
                pool("targets = [{ url = \"http://b/x\" }]", "upstreams.api.targets[0].url", "has a path"),
                pool("targets = [{ url = \"http://b\", wieght = 2 }]", "upstreams.api.targets[0].wieght", "did you mean 'weight'?"),
                // pool settings
                pool(TARGETS + "strategy = \"round-robin\"", "upstreams.api.strategy",
                        "unknown value 'round-robin'; did you mean 'round_robin'? (expected one of: round_robin, "
                                + "weighted_round_robin, least_connections, random, power_of_two, ip_hash, "
                                + "consistent_hash, least_response_time)"),
                pool(TARGETS + "strategy = \"fastest\"", "upstreams.api.strategy", "unknown value 'fastest' (expected one of:"),
                pool(TARGETS + "hash_key = \"ip\"", "upstreams.api.hash_key",
                        "unknown hash key 'ip' (expected one of: client_ip, path, header:NAME, cookie:NAME)"),
                pool(TARGETS + "hash_key = \"header:\"", "upstreams.api.hash_key", "unknown hash key 'header:'"),
                pool(TARGETS + "sticky_cookie = \"my cookie\"", "upstreams.api.sticky_cookie", "is not a valid cookie name"),
                pool(TARGETS + "connect_timeout = 5", "upstreams.api.connect_timeout", "expected a duration string with a unit"),
                pool(TARGETS + "max_idle_per_target = 100001", "upstreams.api.max_idle_per_target", "100001 (expected: 0-100000)"),
                pool(TARGETS + "pool_idle_timeout = \"0s\"", "upstreams.api.pool_idle_timeout", "0 (expected: > 0)"),
                pool(TARGETS + "max_requests_per_connection = 0", "upstreams.api.max_requests_per_connection", "0 (expected: >= 1)"),
                pool(TARGETS + "all_unhealthy = \"panic\"", "upstreams.api.all_unhealthy",
                        "unknown value 'panic' (expected one of: fail, ignore_health)"),
                mistake("[upstreams]\napi = \"http://a\"", "upstreams.api", "expected a table, got string"),
                mistake("[upstreams.\"route:x\"]\n" + TARGETS, "upstreams.route:x", "reserved for routes with inline targets"),
                // health_check
                pool(TARGETS + "protocol = \"http2\"", "upstreams.api.protocol",
                        "unknown value 'http2': use h2 for https targets (ALPN) or h2c for http targets"),
                pool(TARGETS + "protocol = \"h3\"", "upstreams.api.protocol", "unknown value 'h3'; did you mean 'h2'? (expected one of: http1, h2, h2c)"),
                pool(TARGETS + "protocol = \"h2\"", "upstreams.api.protocol",
                        "h2 needs https targets (ALPN), but targets[0] is http://127.0.0.1:3000 (use h2c for HTTP/2 in cleartext)"),
                pool("targets = [\"https://a\"]\nprotocol = \"h2c\"", "upstreams.api.protocol",
                        "h2c is HTTP/2 in cleartext, but targets[0] is https://a (use h2 for https targets)"),
                check("type = \"grpcs\"", "upstreams.api.health_check.type",
                        "unknown value 'grpcs'; did you mean 'grpc'? (expected one of: http, websocket, tcp, grpc)"),
                check("service = \"pkg.Svc\"", "upstreams.api.health_check.service", "only grpc checks name a service (type is http)"),
                mistake("[[routes]]\npath = \"/ws\"\nupstream = \"api\"\nwebsocket = true\n[upstreams.api]\n" + TARGETS
                        + "protocol = \"h2c\"", "routes[0].websocket",
                        "WebSocket routes need a pool with protocol = \"http1\" (api speaks h2c)"),
                check("path = \"health\"", "upstreams.api.health_check.path", "must start with '/'"),
                check("interval = \"1s\"\ntimeout = \"1500ms\"", "upstreams.api.health_check.timeout",
                        "1500ms is longer than interval 1s (expected: timeout <= interval)"),
                check("timeout = \"6s\"", "upstreams.api.health_check.timeout", "6s is longer than interval 5s"),
                check("healthy_threshold = 0", "upstreams.api.health_check.healthy_threshold", "0 (expected: 1-100)"),
                check("unhealthy_threshold = 101", "upstreams.api.health_check.unhealthy_threshold", "101 (expected: 1-100)"),
                check("expected_status = \"399-200\"", "upstreams.api.health_check.expected_status", "is an empty range"),
                check("expected_status = \"200-600\"", "upstreams.api.health_check.expected_status", "expected statuses in 100-599"),
                check("expected_status = \"2xx\"", "upstreams.api.health_check.expected_status", "is not a status or range"),
                check("expected_status = 2.5", "upstreams.api.health_check.expected_status",
                        "expected a status or range such as \"200-399\", got float"),
                check("intervall = \"5s\"", "upstreams.api.health_check.intervall", "did you mean 'interval'?"),
                // circuit_breaker
                breaker("consecutive_failures = 0", "consecutive_failures", "0 (expected: >= 1)"),
                breaker("failure_rate = 0", "failure_rate", "0 (expected: 1-100)"),
                breaker("failure_rate = 101", "failure_rate", "101 (expected: 1-100)"),
                breaker("window = 0", "window", "0 (expected: 1-10000)"),
                breaker("window = 20\nminimum_calls = 21", "minimum_calls", "21 is more than window 20 (expected: 1-20)"),
                breaker("minimum_calls = 0", "minimum_calls", "0 (expected: >= 1)"),
                breaker("slow_call_duration = \"5\"", "slow_call_duration", "'5' has no unit"),
                breaker("slow_call_rate = 0", "slow_call_rate", "0 (expected: 1-100)"),
                breaker("open_duration = \"10m\"", "max_open_duration",
                        "5m is shorter than open_duration 10m (expected: max_open_duration >= open_duration)"),
                breaker("half_open_requests = 0", "half_open_requests", "0 (expected: >= 1)"),
                breaker("max_ejected_percent = 101", "max_ejected_percent", "101 (expected: 0-100)"),
                breaker("failure_statuses = [502, 99]", "failure_statuses[1]", "99 (expected: 100-599)"),
                breaker("failure_statuses = \"5xx\"", "failure_statuses", "expected an array, got string"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("singleMistakes")
    void singleMistakeIsReportedOnceAtItsKeyPath(String toml, String keyPath, String message) {
        ConfigFiles.assertSingleProblem(dir, toml, keyPath, message);
    }

    @Test
    void targetUrlsAreNormalizedIntoHostPortAndScheme() throws Exception {
        List<TargetConfig> targets = ConfigFiles.parse(dir, """
                [upstreams.api]
                targets = [
                  "http://Backend.Internal/",
                  "https://10.0.0.7",
                  "http://[::1]:8080",
                  { url = "https://[fd00::1]/", weight = 7 },
                  "http://my_service:3000",
                ]
                """).upstream("api").targets();

        assertThat(targets).containsExactly(
                new TargetConfig("http://backend.internal", false, "backend.internal", 80, 1),
                new TargetConfig("https://10.0.0.7", true, "10.0.0.7", 443, 1),
                new TargetConfig("http://[::1]:8080", false, "::1", 8080, 1),
                new TargetConfig("https://[fd00::1]", true, "fd00::1", 443, 7),
                new TargetConfig("http://my_service:3000", false, "my_service", 3000, 1));
        assertThat(targets.get(2).authority()).isEqualTo("[::1]:8080");
    }

    @Test
    void protocolAndGrpcHealthCheckAreRead() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [upstreams.grpc]
                targets = ["http://a:50051"]
                protocol = "h2c"
                health_check = { type = "grpc", service = "pkg.Greeter" }
                [upstreams.secure]
                targets = ["https://b"]
                protocol = "h2"
                [upstreams.plain]
                targets = ["http://c"]
                """);
        UpstreamConfig grpc = config.upstream("grpc");
        assertThat(grpc.protocol()).isEqualTo(UpstreamConfig.Protocol.H2C);
        assertThat(grpc.healthCheck().orElseThrow().type()).isEqualTo(HealthCheckConfig.Type.GRPC);
        assertThat(grpc.healthCheck().orElseThrow().service()).isEqualTo("pkg.Greeter");
        assertThat(config.upstream("secure").protocol()).isEqualTo(UpstreamConfig.Protocol.H2);
        assertThat(config.upstream("plain").protocol()).isEqualTo(UpstreamConfig.Protocol.HTTP1);
    }

    @Test
    void healthCheckAndBreakerSettingsAreRead() throws Exception {
        UpstreamConfig api = ConfigFiles.parse(dir, """
                [upstreams.api]
                targets = ["http://a"]
                [upstreams.api.health_check]
                type = "tcp"
                interval = "10s"
                timeout = "10s"
                expected_status = 204
                [upstreams.api.circuit_breaker]
                window = 5
                failure_statuses = []
                open_duration = "1m"
                max_open_duration = "1h"
                """).upstream("api");

        HealthCheckConfig check = api.healthCheck().orElseThrow();
        assertThat(check.type()).isEqualTo(HealthCheckConfig.Type.TCP);
        assertThat(check.expectedStatus()).isEqualTo(new HealthCheckConfig.StatusRange(204, 204));
        assertThat(check.timeout()).isEqualTo(check.interval());
        CircuitBreakerConfig breaker = api.circuitBreaker();
        assertThat(breaker.window()).isEqualTo(5);
        assertThat(breaker.minimumCalls()).as("default capped at window").isEqualTo(5);
        assertThat(breaker.failureStatuses()).isEmpty();
        assertThat(breaker.openDuration()).hasMinutes(1);
        assertThat(breaker.maxOpenDuration()).hasHours(1);
    }

    static Arguments pool(String body, String keyPath, String message) {
        return mistake("[upstreams.api]\n" + body + "\n", keyPath, message);
    }

    static Arguments check(String body, String keyPath, String message) {
        return mistake("[upstreams.api]\n" + TARGETS + "[upstreams.api.health_check]\n" + body + "\n", keyPath, message);
    }

    static Arguments breaker(String body, String key, String message) {
        return mistake("[upstreams.api]\n" + TARGETS + "[upstreams.api.circuit_breaker]\n" + body + "\n",
                "upstreams.api.circuit_breaker." + key, message);
    }

    static Arguments mistake(String toml, String keyPath, String message) {
        return Arguments.of(toml, keyPath, message);
    }
}
