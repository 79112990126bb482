package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gateway.config.toml.DidYouMean;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnknownKeySuggestionTest {

    @TempDir
    Path dir;

    @Test
    void misspeltKeysEverywhereAreReportedWithTheClosestKnownKey() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [servr]
                listen = "0.0.0.0:1"

                [server]
                listne = "0.0.0.0:8080"
                max-connections = 5

                [server.tls]
                cert_file = "x"

                [logging]
                levle = "info"

                [[routes]]
                pth = "/a"
                upstream = "api"
                rate_limit = { rate = 1, bust = 2 }

                [upstreams.api]
                targets = [{ url = "http://a", wieght = 2 }]
                stratgy = "random"

                [upstreams.api.health_chek]
                path = "/h"

                [upstreams.api.circuit_breaker]
                consecutive_failure = 5
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath, ConfigProblem::message).contains(
                tuple("servr", "unknown key 'servr'; did you mean 'server'?"),
                tuple("server.listne", "unknown key 'listne'; did you mean 'listen'?"),
                tuple("server.max-connections", "unknown key 'max-connections'; did you mean 'max_connections'?"),
                tuple("logging.levle", "unknown key 'levle'; did you mean 'level'?"),
                tuple("routes[0].pth", "unknown key 'pth'; did you mean 'path'?"),
                tuple("routes[0].rate_limit.bust", "unknown key 'bust'; did you mean 'burst'?"),
                tuple("upstreams.api.targets[0].wieght", "unknown key 'wieght'; did you mean 'weight'?"),
                tuple("upstreams.api.stratgy", "unknown key 'stratgy'; did you mean 'strategy'?"),
                tuple("upstreams.api.health_chek", "unknown key 'health_chek'; did you mean 'health_check'?"),
                tuple("upstreams.api.circuit_breaker.consecutive_failure",
                        "unknown key 'consecutive_failure'; did you mean 'consecutive_failures'?"));
        assertThat(problems).extracting(ConfigProblem::keyPath).contains("server.tls.cert_file");
    }

    @Test
    void unknownKeyWithNothingCloseListsTheKnownKeys() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, "[admin]\nbanana = 1\n");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("admin.banana");
            assertThat(p.line()).hasValue(2);
            assertThat(p.message()).isEqualTo("unknown key 'banana' (expected one of: allowed_hosts, listen, max_connections, token)");
        });
    }

    @Test
    void unknownTopLevelTableListsTheSections() {
        assertThat(ConfigFiles.problems(dir, "[database]\nurl = \"x\"\n")).singleElement()
                .extracting(ConfigProblem::message)
                .isEqualTo("unknown key 'database' (expected one of: access, acme, admin, compression, logging, routes, server, static, tracing, upstreams)");
    }

    @Test
    void unknownEnumValuesAndUpstreamNamesGetSuggestionsToo() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [server]
                transport = "epol"
                [[routes]]
                path = "/"
                upstream = "backnd"
                [upstreams.backend]
                targets = ["http://a"]
                strategy = "least_conections"
                all_unhealthy = "ignore-health"
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath, ConfigProblem::message).containsExactly(
                tuple("server.transport", "unknown value 'epol'; did you mean 'epoll'? "
                        + "(expected one of: auto, epoll, io_uring, nio)"),
                tuple("routes[0].upstream", "no upstream named 'backnd'; did you mean 'backend'?"),
                tuple("upstreams.backend.strategy", "unknown value 'least_conections'; did you mean 'least_connections'? "
                        + "(expected one of: round_robin, weighted_round_robin, least_connections, random, power_of_two, "
                        + "ip_hash, consistent_hash, least_response_time)"),
                tuple("upstreams.backend.all_unhealthy", "unknown value 'ignore-health'; did you mean 'ignore_health'? "
                        + "(expected one of: fail, ignore_health)"));
    }

    @Test
    void enumValuesAreMatchedCaseInsensitively() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, "[server]\ntransport = \"NIO\"\n[logging]\nlevel = \"DEBUG\"\n");

        assertThat(config.server().transport()).isEqualTo(Transport.NIO);
        assertThat(config.logging().level()).isEqualTo("debug");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "listne, listen",
        "Listen, listen",
        "timout, timeout",
        "retires, retries",
        "websocket_idle_timout, websocket_idle_timeout",
        "upsteam, upstream",
    })
    void closeWordsAreSuggested(String typo, String expected) {
        List<String> known = List.of("listen", "timeout", "retries", "websocket", "websocket_idle_timeout", "upstream",
                "upstreams");

        assertThat(DidYouMean.closest(typo, known)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"banana", "xyz", "tls_cert"})
    void distantWordsAreNotSuggested(String typo) {
        assertThat(DidYouMean.closest(typo, List.of("listen", "token", "timeout"))).isEmpty();
    }
}
