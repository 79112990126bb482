package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteValidationErrorsTest {

    private static final String API = "\n[upstreams.api]\ntargets = [\"http://127.0.0.1:3000\"]\n";

    @TempDir
    Path dir;

    @BeforeEach
    void files() {
        ConfigFiles.mkdirs(dir, "public/docs");
        ConfigFiles.write(dir, "notes.txt", "not a directory");
    }

    static Stream<Arguments> singleMistakes() {
        return Stream.of(
                // path
                route("upstream = \"api\"", "routes[0].path", "missing required key 'path'"),
                route("path = \"api/*\"\nupstream = \"api\"", "routes[0].path", "'api/*' must start with '/'"),
                route("path = \"/a/*/b\"\nupstream = \"api\"", "routes[0].path", "'*' is only allowed as the whole last segment"),
                route("path = \"/static*\"\nupstream = \"api\"", "routes[0].path", "'*' is only allowed as the whole last segment"),
                route("path = \"/a//b\"\nupstream = \"api\"", "routes[0].path", "empty segment"),
                route("path = \"/a/:id/b/:id\"\nupstream = \"api\"", "routes[0].path", "parameter ':id' appears twice"),
                route("path = \"/a/:1st\"\nupstream = \"api\"", "routes[0].path", "invalid parameter name ':1st'"),
                route("path = \"/a b\"\nupstream = \"api\"", "routes[0].path", "character ' ' is not allowed in a path"),
                route("path = \"/a?b=1\"\nupstream = \"api\"", "routes[0].path", "character '?' is not allowed"),
                // host, methods, name
                route("path = \"/\"\nhost = \"exa mple.com\"\nupstream = \"api\"", "routes[0].host", "is not a host name"),
                route("path = \"/\"\nhost = \"api.*.com\"\nupstream = \"api\"", "routes[0].host", "is not a host name"),
                route("path = \"/\"\nmethods = [\"GET\", \"BAD METHOD\"]\nupstream = \"api\"", "routes[0].methods[1]",
                        "'BAD METHOD' is not a valid HTTP method"),
                route("path = \"/\"\nmethods = []\nupstream = \"api\"", "routes[0].methods", "empty list"),
                route("path = \"/\"\nname = \"my route\"\nupstream = \"api\"", "routes[0].name", "is not a valid route name"),
                // actions
                route("path = \"/\"", "routes[0]", "no action (expected exactly one of: upstream, targets, static, redirect)"),
                route("path = \"/\"\nupstream = \"api\"\nredirect = \"/x\"", "routes[0]",
                        "several actions (upstream, redirect); expected exactly one of"),
                route("path = \"/\"\nupstream = \"apx\"", "routes[0].upstream", "no upstream named 'apx'; did you mean 'api'?"),
                mistake("[[routes]]\npath = \"/\"\nupstream = \"api\"", "routes[0].upstream",
                        "no upstream named 'api' (no [upstreams.NAME] tables are defined)"),
                route("path = \"/\"\ntargets = []", "routes[0].targets", "no targets"),
                route("path = \"/\"\ntargets = [\"http://a/x\"]", "routes[0].targets[0]", "has a path"),
                route("path = \"/docs/*\"\nstatic = \"public/nope\"", "routes[0].static", "public/nope does not exist"),
                route("path = \"/docs/*\"\nstatic = \"notes.txt\"", "routes[0].static", "is not a directory"),
                route("path = \"/\"\nredirect = \"example.com/x\"", "routes[0].redirect",
                        "neither an absolute http(s) URL nor a path starting with '/'"),
                route("path = \"/\"\nredirect = \"//evil.example\"", "routes[0].redirect", "neither an absolute http(s) URL"),
                route("path = \"/\"\nredirect = '/\\evil.example'", "routes[0].redirect", "contains a backslash"),
                route("path = \"/\"\nredirect = 'https://example.com/a\\b'", "routes[0].redirect", "contains a backslash"),
                route("path = \"/\"\nredirect = \"ftp://example.com/\"", "routes[0].redirect", "neither an absolute http(s) URL"),
                route("path = \"/\"\nredirect = \"/x\"\nstatus = 303", "routes[0].status", "303 (expected one of: 301, 302, 307, 308)"),
                route("path = \"/\"\nupstream = \"api\"\nstatus = 301", "routes[0].status", "only applies to redirect routes"),
                // options
                route("path = \"/exact\"\nupstream = \"api\"\nstrip_prefix = true", "routes[0].strip_prefix",
                        "only applies to prefix paths ending in \"/*\" (path is \"/exact\")"),
                route("path = \"/users/:id\"\nupstream = \"api\"\nrewrite = \"v2/users/{id}\"", "routes[0].rewrite",
                        "must start with '/'"),
                route("path = \"/users/:id\"\nupstream = \"api\"\nrewrite = \"/v2/users/{uid}\"", "routes[0].rewrite",
                        "'{uid}' is not a parameter of path \"/users/:id\"; did you mean '{id}'? (it has: {id})"),
                route("path = \"/users/:id\"\nupstream = \"api\"\nrewrite = \"/v2/users/{id\"", "routes[0].rewrite",
                        "unbalanced"),
                route("path = \"/\"\nupstream = \"api\"\ntimeout = \"0ms\"", "routes[0].timeout", "0 (expected: > 0)"),
                route("path = \"/\"\nupstream = \"api\"\nretries = 11", "routes[0].retries", "11 (expected: 0-10)"),
                route("path = \"/\"\nupstream = \"api\"\npreserve_host = \"no\"", "routes[0].preserve_host", "expected a boolean"),
                route("path = \"/\"\nupstream = \"api\"\nwebsocket_idle_timeout = 3600", "routes[0].websocket_idle_timeout",
                        "expected a duration string with a unit, e.g. \"3600s\""),
                // headers
                route("path = \"/\"\nupstream = \"api\"\nrequest_headers = { sett = { \"X-A\" = \"1\" } }",
                        "routes[0].request_headers.sett", "unknown key 'sett'; did you mean 'set'?"),
                route("path = \"/\"\nupstream = \"api\"\nrequest_headers = { set = { \"Bad Header\" = \"1\" } }",
                        "routes[0].request_headers.set.Bad Header", "'Bad Header' is not a valid header name"),
                route("path = \"/\"\nupstream = \"api\"\nrequest_headers = { set = { \"X-A\" = 1 } }",
                        "routes[0].request_headers.set.X-A", "expected a string, got integer"),
                route("path = \"/\"\nupstream = \"api\"\nrequest_headers = { set = { \"X-A\" = \"a\\nb\" } }",
                        "routes[0].request_headers.set.X-A", "must not contain CR, LF or NUL"),
                route("path = \"/\"\nupstream = \"api\"\nresponse_headers = { remove = [\"Server\", \"X B\"] }",
                        "routes[0].response_headers.remove[1]", "'X B' is not a valid header name"),
                route("path = \"/\"\nupstream = \"api\"\nresponse_headers = \"Server\"", "routes[0].response_headers",
                        "expected a table, got string"),
                // rate limit
                route("path = \"/\"\nupstream = \"api\"\nrate_limit = { rate = 0 }", "routes[0].rate_limit.rate", "0 (expected: > 0)"),
                route("path = \"/\"\nupstream = \"api\"\nrate_limit = { per = \"1s\" }", "routes[0].rate_limit.rate",
                        "missing required key 'rate'"),
                route("path = \"/\"\nupstream = \"api\"\nrate_limit = { rate = 5, burst = -1 }", "routes[0].rate_limit.burst",
                        "-1 (expected: > 0)"),
                route("path = \"/\"\nupstream = \"api\"\nrate_limit = { rate = 5, per = \"1\" }", "routes[0].rate_limit.per",
                        "'1' has no unit (expected e.g. \"1s\""),
                route("path = \"/\"\nupstream = \"api\"\nrate_limit = { rate = 5, key = \"cookie:sid\" }",
                        "routes[0].rate_limit.key", "expected one of: client_ip, global, header:NAME"),
                route("path = \"/\"\nupstream = \"api\"\nrate_limit = { rate = 5, brust = 10 }", "routes[0].rate_limit.brust",
                        "did you mean 'burst'?"),
                // across routes
                route("path = \"/a\"\nname = \"x\"\nupstream = \"api\"\n[[routes]]\npath = \"/b\"\nname = \"x\"\nupstream = \"api\"",
                        "routes[1].name", "name 'x' is already used by routes[0]"),
                route("path = \"/u/:id\"\nmethods = [\"GET\", \"POST\"]\nupstream = \"api\"\n"
                        + "[[routes]]\npath = \"/u/:user\"\nmethods = [\"post\", \"get\"]\nupstream = \"api\"",
                        "routes[1]", "duplicate route: same host, path and methods as routes[0]"),
                route("path = \"/u\"\nhost = \"A.example.com\"\nupstream = \"api\"\n"
                        + "[[routes]]\npath = \"/u\"\nhost = \"a.example.com\"\nredirect = \"/v\"",
                        "routes[1]", "same host, path and methods as routes[0]"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("singleMistakes")
    void singleMistakeIsReportedOnceAtItsKeyPath(String toml, String keyPath, String message) {
        ConfigFiles.assertSingleProblem(dir, toml, keyPath, message);
    }

    @Test
    void routesDifferingOnlyInMethodsOrHostAreNotDuplicates() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [[routes]]
                path = "/u"
                methods = ["GET"]
                targets = ["http://a"]
                [[routes]]
                path = "/u"
                methods = ["POST"]
                targets = ["http://b"]
                [[routes]]
                path = "/u"
                host = "other.example.com"
                targets = ["http://c"]
                """);

        assertThat(config.routes()).hasSize(3);
    }

    @Test
    void everyRouteOfAFileIsCheckedEvenAfterAnInvalidOne() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [[routes]]
                path = "nope"
                redirect = "/x"
                [[routes]]
                path = "/ok"
                [[routes]]
                path = "/x/*/y"
                redirect = "/x"
                status = 200
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath)
                .containsExactly("routes[0].path", "routes[1]", "routes[2].path", "routes[2].status");
    }

    static Arguments route(String body, String keyPath, String message) {
        return mistake("[[routes]]\n" + body + "\n" + API, keyPath, message);
    }

    static Arguments mistake(String toml, String keyPath, String message) {
        return Arguments.of(toml, keyPath, message);
    }
}
