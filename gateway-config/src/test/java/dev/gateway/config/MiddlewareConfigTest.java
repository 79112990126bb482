package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The middleware keys of routes and the [compression] and [access] tables: defaults, parsing, and
 * every problem reported with its key path.
 */
class MiddlewareConfigTest {

    /** A well-formed bcrypt hash (cost 5): the loader checks the form, never the password. */
    static final String HASH = "$2y$05$abcdefghijklmnopqrstuu" + "abcdefghijklmnopqrstuvwxyz01234";

    @TempDir
    Path dir;

    private static String route(String keys) {
        return "[[routes]]\npath = \"/api/*\"\ntargets = [\"http://127.0.0.1:3000\"]\n" + keys + "\n";
    }

    @Test
    void withoutMiddlewareKeysEverythingIsOffAndTheDefaultsHold() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, route(""));
        assertThat(config.routes().get(0).middleware()).isEqualTo(MiddlewareConfig.NONE);
        CompressionConfig compression = config.compression();
        assertThat(compression.enabled()).isFalse();
        assertThat(compression.algorithms()).containsExactly(ContentCoding.ZSTD, ContentCoding.BR, ContentCoding.GZIP);
        assertThat(compression.level(ContentCoding.GZIP)).isEqualTo(6);
        assertThat(compression.level(ContentCoding.BR)).isEqualTo(4);
        assertThat(compression.level(ContentCoding.ZSTD)).isEqualTo(3);
        assertThat(compression.minLength()).isEqualTo(1024);
        assertThat(compression.types()).contains("text/*", "application/json", "image/svg+xml", "application/*+json");
        assertThat(config.access().isEmpty()).isTrue();
    }

    @Test
    void compressionTableAndRouteSwitch() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, "[compression]\nenabled = true\nalgorithms = [\"gzip\", \"br\"]\n"
                + "level = { gzip = 9, br = 11 }\nmin_length = \"256B\"\ntypes = [\"text/html\", \"application/*+json\"]\n"
                + "max_concurrent = 8\n" + route("compress = false"));
        CompressionConfig compression = config.compression();
        assertThat(compression.enabled()).isTrue();
        assertThat(compression.algorithms()).containsExactly(ContentCoding.GZIP, ContentCoding.BR);
        assertThat(compression.level(ContentCoding.GZIP)).isEqualTo(9);
        assertThat(compression.level(ContentCoding.ZSTD)).isEqualTo(3);
        assertThat(compression.minLength()).isEqualTo(256);
        assertThat(compression.types()).containsExactly("text/html", "application/*+json");
        assertThat(compression.maxConcurrent()).isEqualTo(8);
        assertThat(config.routes().get(0).middleware().compress()).contains(false);
    }

    @Test
    void compressionProblemsAreAllListedWithKeyPaths() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, "[compression]\nalgorithms = [\"gzip\", \"brotli\", \"gzip\"]\n"
                + "level = { gzip = 10, zstd = 0, deflate = 1 }\ntypes = [\"text\", \"*/*\"]\nmin_length = -1\n"
                + "enable = true\n");
        assertThat(problems.stream().map(p -> p.keyPath() + ": " + p.message()).collect(Collectors.toList()))
                .anySatisfy(m -> assertThat(m).startsWith("compression.algorithms[1]: unknown value 'brotli'"))
                .anySatisfy(m -> assertThat(m).isEqualTo("compression.algorithms[2]: 'gzip' is listed twice"))
                .anySatisfy(m -> assertThat(m).isEqualTo("compression.level.gzip: 10 (expected: 1-9)"))
                .anySatisfy(m -> assertThat(m).isEqualTo("compression.level.zstd: 0 (expected: 1-22)"))
                .anySatisfy(m -> assertThat(m).startsWith("compression.level.deflate: unknown coding 'deflate'"))
                .anySatisfy(m -> assertThat(m).startsWith("compression.types[0]: 'text' is not a media type"))
                .anySatisfy(m -> assertThat(m).startsWith("compression.types[1]: '*/*' is not a media type"))
                .anySatisfy(m -> assertThat(m).startsWith("compression.min_length: -1"))
                .anySatisfy(m -> assertThat(m).startsWith("compression.enable: unknown key 'enable'; did you mean 'enabled'?"));
    }

    @Test
    void accessListsGlobalAndPerRoute() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, "[access]\ndeny = [\"192.0.2.0/24\"]\n"
                + route("allow = [\"10.0.0.0/8\", \"::1\"]") + "[[routes]]\npath = \"/open\"\nredirect = \"/\"\nallow = []\n"
                + "[[routes]]\npath = \"/plain\"\nredirect = \"/\"\n");
        assertThat(config.access().deny()).containsExactly(Cidr.parse("192.0.2.0/24"));
        assertThat(config.routes().get(0).middleware().access())
                .contains(new AccessConfig(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1")), List.of()));
        assertThat(config.routes().get(1).middleware().access()).contains(AccessConfig.NONE);
        assertThat(config.routes().get(2).middleware().access()).isEmpty();
        ConfigFiles.assertSingleProblem(dir, route("deny = [\"10.0.0.0/33\"]"), "routes[0].deny[0]",
                "'10.0.0.0/33' has prefix length out of range (expected: 0-32)");
        ConfigFiles.assertSingleProblem(dir, "[access]\nallow = [\"example.com\"]\n", "access.allow[0]",
                "'example.com' is not an IP address or CIDR");
    }

    @Test
    void basicAuthReadsBcryptHtpasswdFiles() throws Exception {
        ConfigFiles.write(dir, "auth/users", "# admins\nalice:" + HASH + "\n\nbob:" + HASH.replace("$2y$", "$2b$") + "\n");
        GatewayConfig config = ConfigFiles.parse(dir, route("basic_auth = { users = \"auth/users\", realm = \"ops\" }"));
        BasicAuthConfig auth = config.routes().get(0).middleware().basicAuth().orElseThrow();
        assertThat(auth.users()).isEqualTo(dir.resolve("auth/users"));
        assertThat(auth.realm()).isEqualTo("ops");
        assertThat(auth.forwardAuthorization()).isFalse();
        assertThat(auth.hashes()).containsOnlyKeys("alice", "bob");
        assertThat(auth.toString()).doesNotContain(HASH);
    }

    @Test
    void htpasswdProblemsNameTheLineAndTheKind() {
        ConfigFiles.write(dir, "users", "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbob:$apr1$x$y\nnocolon\n"
                + "carol:" + HASH.replace("$05$", "$17$") + "\nalice:" + HASH + "\n");
        List<ConfigProblem> problems = ConfigFiles.problems(dir, route("basic_auth = { users = \"users\", realm = \"a\\\"b\" }"));
        Path file = dir.resolve("users");
        assertThat(problems.stream().map(p -> p.keyPath() + ": " + p.message()).collect(Collectors.toList()))
                .containsExactlyInAnyOrder(
                        "routes[0].basic_auth.users: line 1 of " + file + ": user 'alice' has a SHA-1 hash; only bcrypt "
                                + "hashes are accepted (create them with htpasswd -B)",
                        "routes[0].basic_auth.users: line 2 of " + file + ": user 'bob' has an MD5 hash; only bcrypt "
                                + "hashes are accepted (create them with htpasswd -B)",
                        "routes[0].basic_auth.users: line 3 of " + file + ": expected 'user:hash'",
                        "routes[0].basic_auth.users: line 4 of " + file + ": user 'carol' has bcrypt cost 17 (expected: "
                                + "4-14; every new login pays it, and cost 15 takes about two seconds)",
                        "routes[0].basic_auth.users: line 5 of " + file + ": user 'alice' appears twice",
                        "routes[0].basic_auth.realm: 'a\"b' may only hold printable ASCII without '\"' or '\\'");
        ConfigFiles.assertSingleProblem(dir, route("basic_auth = { realm = \"x\" }"), "routes[0].basic_auth.users",
                "missing required key 'users'");
        ConfigFiles.assertSingleProblem(dir, route("basic_auth = { users = \"nope\" }"), "routes[0].basic_auth.users",
                "does not exist");
        ConfigFiles.write(dir, "empty", "# nobody yet\n");
        ConfigFiles.assertSingleProblem(dir, route("basic_auth = { users = \"empty\" }"), "routes[0].basic_auth.users",
                "has no users");
    }

    @Test
    void forwardAuthGetsAPoolOfItsOwn() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, route("name = \"api\"\nforward_auth = { url = \"http://127.0.0.1:9000/check?app=1\", "
                + "copy_response_headers = [\"X-User\"], timeout = \"2s\" }"));
        ForwardAuthConfig auth = config.routes().get(0).middleware().forwardAuth().orElseThrow();
        assertThat(auth.upstream()).isEqualTo("auth:api");
        assertThat(auth.requestTarget()).isEqualTo("/check?app=1");
        assertThat(auth.target().authority()).isEqualTo("127.0.0.1:9000");
        assertThat(auth.copyRequestHeaders()).containsExactly("Authorization", "Cookie");
        assertThat(auth.copyResponseHeaders()).containsExactly("X-User");
        assertThat(auth.timeout()).isEqualTo(Duration.ofSeconds(2));
        UpstreamConfig pool = config.upstream("auth:api");
        assertThat(pool.targets()).extracting(TargetConfig::url).containsExactly("http://127.0.0.1:9000");
        assertThat(pool.connectTimeout()).isEqualTo(Duration.ofSeconds(2));

        ConfigFiles.assertSingleProblem(dir, route("forward_auth = { url = \"ftp://x/\" }"), "routes[0].forward_auth.url",
                "is not an http:// or https:// URL");
        ConfigFiles.assertSingleProblem(dir, route("forward_auth = { url = \"http://a/b#c\" }"), "routes[0].forward_auth.url",
                "has a fragment");
        ConfigFiles.assertSingleProblem(dir, route("forward_auth = { url = \"http://a/\", copy_response_headers = [\"X Y\"] }"),
                "routes[0].forward_auth.copy_response_headers[0]", "'X Y' is not a valid header name");
        ConfigFiles.write(dir, "users", "alice:" + HASH + "\n");
        ConfigFiles.assertSingleProblem(dir, route("forward_auth = { url = \"http://a/\" }\nbasic_auth = { users = \"users\" }"),
                "routes[0].forward_auth", "one way to authenticate");
        ConfigFiles.assertSingleProblem(dir, "[upstreams.\"auth:x\"]\ntargets = [\"http://a:1\"]\n", "upstreams.auth:x",
                "reserved");
    }

    @Test
    void corsOriginsAreExactAndStarRefusesCredentials() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, route("cors = { origins = [\"https://App.Example.com:443\", "
                + "\"http://localhost:3000\"], methods = [\"get\", \"PUT\"], headers = [\"Content-Type\"], expose = [\"X-Total\"], "
                + "credentials = true, max_age = \"1h\" }"));
        CorsConfig cors = config.routes().get(0).middleware().cors().orElseThrow();
        assertThat(cors.origins()).containsExactlyInAnyOrder("https://app.example.com", "http://localhost:3000");
        assertThat(cors.anyOrigin()).isFalse();
        assertThat(cors.methods()).containsExactly("GET", "PUT");
        assertThat(cors.headers()).containsExactly("content-type");
        assertThat(cors.expose()).containsExactly("x-total");
        assertThat(cors.credentials()).isTrue();
        assertThat(cors.maxAge()).isEqualTo(Duration.ofHours(1));

        CorsConfig defaults = ConfigFiles.parse(dir, route("cors = { origins = [\"*\"] }")).routes().get(0).middleware()
                .cors().orElseThrow();
        assertThat(defaults.anyOrigin()).isTrue();
        assertThat(defaults.methods()).containsExactly("GET", "HEAD", "POST");
        assertThat(defaults.maxAge()).isEqualTo(Duration.ofMinutes(10));

        ConfigFiles.assertSingleProblem(dir, route("cors = { origins = [\"*\"], credentials = true }"),
                "routes[0].cors.credentials", "credentials = true cannot go with origins = [\"*\"]");
        ConfigFiles.assertSingleProblem(dir, route("cors = { origins = [\"https://a.example.com/\"] }"),
                "routes[0].cors.origins[0]", "is not an origin");
        ConfigFiles.assertSingleProblem(dir, route("cors = { origins = [\"https://*.example.com\"] }"),
                "routes[0].cors.origins[0]", "is not an origin");
        ConfigFiles.assertSingleProblem(dir, route("cors = { origins = [\"null\"] }"), "routes[0].cors.origins[0]",
                "the 'null' origin");
        ConfigFiles.assertSingleProblem(dir, route("cors = { origins = [\"*\", \"https://a\"] }"), "routes[0].cors.origins",
                "list it alone");
        ConfigFiles.assertSingleProblem(dir, route("cors = { methods = [\"GET\"] }"), "routes[0].cors.origins",
                "missing required key 'origins'");
    }

    @Test
    void headerValuesKeepRequestVariablesAndSubstituteTheEnvironment() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, route("request_headers = { set = { \"X-Client\" = \"${client_ip} via ${GW_NAME}\", "
                + "\"X-Trace\" = \"${header.X-Trace-Id}\", \"X-Literal\" = \"$${client_ip}\", \"X-Plain\" = \"v\" } }\n"
                + "response_headers = { set = { \"X-Served-By\" = \"${target} for ${route}\" } }"), Map.of("GW_NAME", "edge-1"));
        RouteConfig route = config.routes().get(0);
        Map<String, HeaderTemplate> request = route.requestHeaders().templates();
        assertThat(request.get("X-Client").parts()).containsExactly(
                new HeaderTemplate.Var(HeaderTemplate.Variable.CLIENT_IP, null), new HeaderTemplate.Literal(" via edge-1"));
        assertThat(request.get("X-Trace").parts()).containsExactly(
                new HeaderTemplate.Var(HeaderTemplate.Variable.HEADER, "X-Trace-Id"));
        assertThat(request.get("X-Literal")).isEqualTo(HeaderTemplate.literal("${client_ip}"));
        assertThat(request.get("X-Plain").isLiteral()).isTrue();
        assertThat(route.requestHeaders().set()).containsEntry("X-Client", "${client_ip} via edge-1");
        assertThat(route.requestHeaders().hasVariables()).isTrue();
        assertThat(route.responseHeaders().templates().get("X-Served-By").parts()).containsExactly(
                new HeaderTemplate.Var(HeaderTemplate.Variable.TARGET, null), new HeaderTemplate.Literal(" for "),
                new HeaderTemplate.Var(HeaderTemplate.Variable.ROUTE, null));
    }

    @Test
    void headerTemplateProblems() {
        ConfigFiles.assertSingleProblem(dir, route("request_headers = { set = { \"X-T\" = \"${target}\" } }"),
                "routes[0].request_headers.set.X-T", "only known in response_headers");
        ConfigFiles.assertSingleProblem(dir, route("request_headers = { set = { \"X-T\" = \"${header.X Y}\" } }"),
                "routes[0].request_headers.set.X-T", "'X Y' is not a header name");
        ConfigFiles.assertSingleProblem(dir, route("request_headers = { set = { \"X-T\" = \"${clientip}\" } }"),
                "routes[0].request_headers.set.X-T",
                "environment variable 'clientip' is not set (give a default with '${clientip:-default}'); did you mean "
                        + "the request variable '${client_ip}'?");
    }

    @Test
    void allMiddlewareProblemsOfOneFileAreListedTogether() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, route("compress = \"yes\"\nallow = [\"nope\"]\n"
                + "cors = { origins = [\"*\"], credentials = true, maxage = \"1m\" }"));
        assertThat(problems).extracting(ConfigProblem::keyPath).containsExactlyInAnyOrder("routes[0].compress",
                "routes[0].allow[0]", "routes[0].cors.credentials", "routes[0].cors.maxage");
        assertThat(problems).allSatisfy(p -> assertThat(p.line()).isPresent());
    }

    @Test
    void noMiddlewareMeansNone() throws Exception {
        RouteConfig route = ConfigFiles.parse(dir, route("")).routes().get(0);
        assertThat(route.middleware().basicAuth()).isEqualTo(Optional.empty());
        assertThat(route.requestHeaders().hasVariables()).isFalse();
        assertThat(Set.of()).isEmpty();
    }
}
