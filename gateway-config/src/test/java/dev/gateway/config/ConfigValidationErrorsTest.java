package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.gateway.config.load.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Server, TLS, admin, logging and static-site rules, wrong types, and how problems are reported. */
class ConfigValidationErrorsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void files() {
        ConfigFiles.mkdirs(dir, "public");
        ConfigFiles.mkdirs(dir, "certs");
        dev.gateway.testkit.TestPki.selfSigned("localhost").write(dir.resolve("certs"), "server");
        ConfigFiles.write(dir, "notes.txt", "not a directory");
    }

    static Stream<Arguments> singleMistakes() {
        return Stream.of(
                // [server]
                mistake("[server]\nlisten = \"8080\"", "server.listen", "'8080' has no port"),
                mistake("[server]\nlisten = \"::1:80\"", "server.listen", "an IPv6 address needs brackets"),
                mistake("[server]\nlisten = \"0.0.0.0:70000\"", "server.listen", "'70000' in '0.0.0.0:70000' is not a port (expected: 0-65535)"),
                mistake("[server]\nlisten = \"bad host!:80\"", "server.listen", "is not an IP address or host name"),
                mistake("[server]\nio_threads = 2000", "server.io_threads", "2000 (expected: 0-1024)"),
                mistake("[server]\ntransport = \"kqueue\"", "server.transport",
                        "unknown value 'kqueue' (expected one of: auto, epoll, io_uring, nio)"),
                mistake("[server]\ntransport = \"iouring\"", "server.transport", "did you mean 'io_uring'?"),
                mistake("[server]\ntrusted_proxies = [\"10.0.0.0/8\", \"10.0.0.0/33\"]", "server.trusted_proxies[1]",
                        "prefix length out of range"),
                mistake("[server]\ntrusted_proxies = [\"proxy.example.com\"]", "server.trusted_proxies[0]",
                        "is not an IP address or CIDR"),
                mistake("[server]\nmax_connections = 0", "server.max_connections", "0 (expected: >= 1)"),
                mistake("[server]\nmax_body_size = -1", "server.max_body_size", "-1 (expected: >= 0)"),
                mistake("[server]\nmax_header_size = \"16KB!\"", "server.max_header_size", "is not a size"),
                mistake("[server]\nmax_initial_line = 0", "server.max_initial_line", "0 (expected: >= 1 bytes)"),
                mistake("[server]\nmax_initial_line = \"4GiB\"", "server.max_initial_line", "4GiB (expected: at most 2147483647 bytes)"),
                mistake("[server]\nheader_timeout = \"0s\"", "server.header_timeout", "0 (expected: > 0)"),
                mistake("[server]\nbody_timeout = \"0s\"", "server.body_timeout", "0 (expected: > 0)"),
                mistake("[server]\nsend_timeout = \"fast\"", "server.send_timeout", "duration"),
                mistake("[server]\nidle_timeout = \"-5s\"", "server.idle_timeout", "is not a duration"),
                mistake("[server]\nhttp2 = \"on\"", "server.http2", "expected a boolean (true or false), got string"),
                mistake("[server]\nh2c = 1", "server.h2c", "expected a boolean (true or false), got integer"),
                mistake("[server]\nhttp2_max_concurrent_streams = 0", "server.http2_max_concurrent_streams", "0 (expected: 1-10000)"),
                mistake("[server]\nhttp2_stream_window = \"16KiB\"", "server.http2_stream_window", "(expected: >= 65535 bytes)"),
                mistake("[server]\nhttp2_connection_window = \"3GiB\"", "server.http2_connection_window",
                        "(expected: at most 2147483647 bytes)"),
                mistake("[server]\nhttp2_header_table_size = \"2MiB\"", "server.http2_header_table_size",
                        "(expected: at most 1048576 bytes)"),
                mistake("[server]\nwatch_config = \"yes\"", "server.watch_config", "expected a boolean (true or false), got string"),
                mistake("[server]\nunderscores_in_headers = \"off\"", "server.underscores_in_headers",
                        "expected a boolean (true or false), got string"),
                mistake("[server]\nvia = \"my gateway\"", "server.via", "'my gateway' is not a token"),
                mistake("[server]\nvia = \"gw/1.0\"", "server.via", "'gw/1.0' is not a token"),
                mistake("[server]\nvia = 1", "server.via", "expected a string, got integer"),
                // [server.tls]
                mistake("[server.tls]\nkey = \"certs/server.key\"", "server.tls.cert", "missing required key 'cert'"),
                mistake("[server.tls]\ncert = \"certs/server.crt\"", "server.tls.key", "missing required key 'key'"),
                mistake("[server.tls]\ncert = \"certs/missing.crt\"\nkey = \"certs/server.key\"", "server.tls.cert",
                        "certs/missing.crt does not exist or is not a regular file"),
                mistake("[server.tls]\ncert = \"certs/server.crt\"\nkey = \"certs\"", "server.tls.key",
                        "does not exist or is not a regular file"),
                mistake("[server.tls]\ncert = \"certs/server.crt\"\nkey = \"certs/server.key\"\nredirect_from = \"80\"",
                        "server.tls.redirect_from", "has no port"),
                // [admin]
                mistake("[admin]\nlisten = \":99999\"", "admin.listen", "is not a port"),
                mistake("[admin]\ntoken = \"\"", "admin.token", "empty token"),
                mistake("[admin]\nmax_connections = 0", "admin.max_connections", "0 (expected: >= 1)"),
                mistake("[admin]\nmax_connections = \"64\"", "admin.max_connections", "expected an integer, got string"),
                mistake("[admin]\nallowed_hosts = \"admin.internal\"", "admin.allowed_hosts", "expected an array, got string"),
                mistake("[admin]\nallowed_hosts = [\"admin.internal\", \"bad host!\"]", "admin.allowed_hosts[1]",
                        "'bad host!' is not a host name"),
                mistake("[admin]\nallowed_hosts = [\"admin.internal:9901\"]", "admin.allowed_hosts[0]",
                        "is not a host name (a name only, without port"),
                mistake("[admin]\nallowed_hosts = [\"*.internal\"]", "admin.allowed_hosts[0]", "is not a host name"),
                // [logging]
                mistake("[logging]\nlevel = \"verbose\"", "logging.level",
                        "unknown value 'verbose' (expected one of: trace, debug, info, warn, error)"),
                mistake("[logging]\naccess_format = \"xml\"", "logging.access_format", "expected one of: json, combined"),
                mistake("[logging]\nformat = \"jsno\"", "logging.format", "did you mean 'json'?"),
                mistake("[logging]\naccess_log = \"\"", "logging.access_log", "expected \"stdout\", \"off\" or a file path"),
                mistake("[logging]\nmax_file_size = 0", "logging.max_file_size", "expected: >= 1 bytes"),
                mistake("[logging]\nmax_history = -1", "logging.max_history", "-1 (expected: 1-20)"),
                // [static]
                mistake("[static]\nindex = \"index.html\"", "static.root", "missing required key 'root'"),
                mistake("[static]\nroot = \"nowhere\"", "static.root", "nowhere does not exist"),
                mistake("[static]\nroot = \"notes.txt\"", "static.root", "notes.txt is not a directory"),
                mistake("[static]\nroot = \"public\"\nindex = \"sub/index.html\"", "static.index", "is not a file name"),
                mistake("[static]\nroot = \"public\"\ncache_control = \"a\\r\\nSet-Cookie: x\"", "static.cache_control",
                        "must not contain CR, LF or NUL"),
                // wrong types
                mistake("[server]\nlisten = 8080", "server.listen", "expected a string, got integer"),
                mistake("[server]\nmax_connections = \"many\"", "server.max_connections", "expected an integer, got string"),
                mistake("[server]\nio_threads = 1.5", "server.io_threads", "expected an integer, got float"),
                mistake("[server]\ntrusted_proxies = \"10.0.0.0/8\"", "server.trusted_proxies", "expected an array, got string"),
                mistake("[server]\ntrusted_proxies = [10]", "server.trusted_proxies[0]", "expected a string, got integer"),
                mistake("[server]\ntls = true", "server.tls", "expected a table, got boolean"),
                mistake("server = [1, 2]", "server", "expected a table, got array"),
                mistake("routes = \"/api\"", "routes", "expected an array, got string"),
                mistake("routes = [\"/api\"]", "routes[0]", "expected a table, got string"),
                mistake("[routes]\npath = \"/api\"", "routes", "expected an array of tables ([[routes]]), got table"),
                mistake("[logging]\nmax_history = 99999999999999999999999", "logging.max_history", "out of range"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("singleMistakes")
    void singleMistakeIsReportedOnceAtItsKeyPath(String toml, String keyPath, String message) {
        ConfigFiles.assertSingleProblem(dir, toml, keyPath, message);
    }

    @Test
    void fileWithSeveralMistakesReportsAllOfThemWithLines() {
        String toml = """
                [server]
                listen = "0.0.0.0:8080"
                max_connections = -3
                idle_timeout = 75

                [logging]
                level = "loud"

                [[routes]]
                path = "api"
                targets = ["http://127.0.0.1:3000/v1"]

                [[routes]]
                path = "/b/*"
                upstream = "apj"
                retries = 99

                [upstreams.api]
                targets = ["http://127.0.0.1:3000"]
                strategy = "fastest"

                [upstreams.api.health_check]
                interval = "1s"
                timeout = "3s"
                """;

        List<ConfigProblem> problems = ConfigFiles.problems(dir, toml);

        assertThat(problems).extracting(p -> p.line().orElse(-1), ConfigProblem::keyPath).containsExactly(
                tuple(3, "server.max_connections"),
                tuple(4, "server.idle_timeout"),
                tuple(7, "logging.level"),
                tuple(10, "routes[0].path"),
                tuple(11, "routes[0].targets[0]"),
                tuple(15, "routes[1].upstream"),
                tuple(16, "routes[1].retries"),
                tuple(20, "upstreams.api.strategy"),
                tuple(24, "upstreams.api.health_check.timeout"));
        assertThat(problems.get(5).message()).isEqualTo("no upstream named 'apj'; did you mean 'api'?");
    }

    @Test
    void exceptionMessageListsEveryProblemOnItsOwnLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigFiles.parse(dir, """
                [server]
                io_threads = -1
                max_connections = 0
                """));

        assertThat(e.getMessage()).isEqualTo("""
                line 2: server.io_threads: -1 (expected: 0-1024)
                line 3: server.max_connections: 0 (expected: >= 1)""");
    }

    @Test
    void tomlSyntaxErrorIsOneProblemWithJacksonsLine() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [server]
                listen = "0.0.0.0:8080"
                max_connections =
                """);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).keyPath()).isEmpty();
        assertThat(problems.get(0).line()).isEqualTo(OptionalInt.of(3));
        assertThat(problems.get(0).message()).startsWith("invalid TOML: ");
        assertThat(problems.get(0).toString()).startsWith("line 3: invalid TOML: ");
    }

    @Test
    void duplicateTableIsASyntaxError() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, "[server]\nio_threads = 1\n[server]\nio_threads = 2\n");

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).line()).hasValue(3);
    }

    @Test
    void missingFileIsOneProblemNamingThePath() {
        Path missing = dir.resolve("nope/app_config.toml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing, Map.of()));

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).line()).isEmpty();
        assertThat(e.problems().get(0).message())
                .isEqualTo("cannot read config file " + missing.toAbsolutePath() + ": no such file");
    }

    @Test
    void problemToStringShowsLineAndPathOnlyWhenKnown() {
        assertThat(new ConfigProblem("routes[2].targets[0]", OptionalInt.of(12), "bad").toString())
                .isEqualTo("line 12: routes[2].targets[0]: bad");
        assertThat(new ConfigProblem("routes[2]", OptionalInt.empty(), "bad").toString()).isEqualTo("routes[2]: bad");
    }

    @Test
    void listenAcceptsIpv6EmptyHostAndPortZero() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [server]
                listen = "[::1]:80"
                [server.tls]
                cert = "certs/server.crt"
                key = "certs/server.key"
                [admin]
                listen = ":0"
                """);

        assertThat(config.server().listen()).isEqualTo(new HostPort("::1", 80));
        assertThat(config.admin().listen()).isEqualTo(new HostPort("0.0.0.0", 0));
        assertThat(config.server().tls().orElseThrow().redirectFrom()).isEmpty();
    }

    @Test
    void loggingPathsResolveAgainstTheConfigDirectory() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [logging]
                access_log = "logs/access.log"
                file = "/var/log/gateway.log"
                """);

        assertThat(config.logging().accessLog()).isEqualTo(dir.resolve("logs/access.log").toAbsolutePath().toString());
        assertThat(config.logging().file()).contains(Path.of("/var/log/gateway.log").toString());
        assertThat(ConfigFiles.parse(dir, "[logging]\naccess_log = \"off\"").logging().accessLogEnabled()).isFalse();
    }

    @Test
    void trustedProxiesAreParsedAsCidrs() throws Exception {
        List<Cidr> proxies = ConfigFiles.parse(dir, """
                [server]
                trusted_proxies = ["10.0.0.0/8", "192.168.1.7", "fd00::/8"]
                """).server().trustedProxies();

        assertThat(proxies).extracting(Cidr::prefixLength).containsExactly(8, 32, 8);
        assertThat(proxies.get(0).contains(new byte[] {10, 1, 2, 3})).isTrue();
    }

    @Test
    void cidrsAreEqualByValueAndPrintAsWritten() {
        assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(Cidr.parse("10.0.0.0/8"))
                .hasSameHashCodeAs(Cidr.parse("10.0.0.0/8"))
                .isNotEqualTo(Cidr.parse("10.0.0.0/16"));
        assertThat(Cidr.parse("192.168.1.7")).hasToString("192.168.1.7/32");
    }

    static Arguments mistake(String toml, String keyPath, String message) {
        return Arguments.of(toml, keyPath, message);
    }
}
