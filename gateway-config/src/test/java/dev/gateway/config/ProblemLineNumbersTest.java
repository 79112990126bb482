package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gateway.config.toml.LineIndex;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProblemLineNumbersTest {

    @TempDir
    Path dir;

    @Test
    void arrayOfTablesOccurrencesAreCountedPerHeader() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [[routes]]
                path = "/a"
                redirect = "/x"

                [[routes]]
                path = "/b"
                redirect = "/x"

                [[routes]]
                path = "/c"
                redirect = "/x"
                retries = 50
                """);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.keyPath()).isEqualTo("routes[2].retries");
            assertThat(p.line()).hasValue(12);
        });
    }

    @Test
    void missingKeyPointsAtItsTableHeader() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                # routes
                [[routes]]
                path = "/a"
                redirect = "/x"

                [[routes]]
                redirect = "/x"
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath, p -> p.line().orElse(-1))
                .containsExactly(tuple("routes[1].path", 6));
    }

    @Test
    void dottedKeysAndQuotedKeysAreFound() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                server.io_threads = 5000
                [logging]
                "max_history" = -1
                [upstreams."api-v1"]
                targets = ["http://a"]
                health_check.interval = "0s"
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath, p -> p.line().orElse(-1)).containsExactly(
                tuple("server.io_threads", 1),
                tuple("logging.max_history", 3),
                tuple("upstreams.api-v1.health_check.interval", 6));
    }

    @Test
    void elementsOfMultiLineArraysGetTheirOwnLines() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [upstreams.api]
                targets = [
                  "http://a",   # fine
                  "http://b/x", # has a path
                  { url = "http://c", weight = 0 },
                ]
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath, p -> p.line().orElse(-1)).containsExactly(
                tuple("upstreams.api.targets[1]", 4),
                tuple("upstreams.api.targets[2].weight", 5));
    }

    @Test
    void valuesInsideInlineTablesPointAtTheirKeyLine() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [[routes]]
                path = "/"
                redirect = "/x"
                request_headers = { set = { "X-A" = "ok", "Bad Name" = "x" } }
                rate_limit = { rate = 0 }
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath, p -> p.line().orElse(-1)).containsExactly(
                tuple("routes[0].request_headers.set.Bad Name", 4),
                tuple("routes[0].rate_limit.rate", 5));
    }

    @Test
    void multiLineStringsCommentsAndBracketsInStringsDoNotShiftLines() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [static]
                root = "public"   # [not] a = header
                cache_control = \"""
                [fake]
                nope = 1\"""
                spa_fallback = "yes"
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath, p -> p.line().orElse(-1)).contains(
                tuple("static.spa_fallback", 6));
    }

    @Test
    void subTablesOfTheLastArrayElementAreFound() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [[routes]]
                path = "/a"
                redirect = "/x"

                [[routes]]
                path = "/b"
                redirect = "/x"

                [routes.rate_limit]
                per = "1s"
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath, p -> p.line().orElse(-1))
                .containsExactly(tuple("routes[1].rate_limit.rate", 9));
    }

    @Test
    void nestedArraysOfTablesAreCountedUnderTheirParent() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [upstreams.api]
                strategy = "weighted_round_robin"

                [[upstreams.api.targets]]
                url = "http://a"

                [[upstreams.api.targets]]
                url = "http://b"
                weight = 0
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath, p -> p.line().orElse(-1))
                .containsExactly(tuple("upstreams.api.targets[1].weight", 9));
    }

    @Test
    void windowsLineEndingsAreCounted() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, "[server]\r\n\r\nio_threads = -1\r\n");

        assertThat(problems).singleElement().extracting(ConfigProblem::line).isEqualTo(OptionalInt.of(3));
    }

    @Test
    void problemsAboutPathsTheFileNeverMentionsHaveNoLine() {
        LineIndex index = LineIndex.of("[server]\nlisten = \":1\"\n");

        assertThat(index.lineOf("server.listen")).hasValue(2);
        assertThat(index.lineOf("server.tls.cert")).hasValue(1);
        assertThat(index.lineOf("admin.listen")).isEmpty();
        assertThat(index.lineOf("")).isEmpty();
    }

    @Test
    void problemsAreSortedByLine() {
        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [upstreams.api]
                targets = ["http://a"]
                strategy = "nope"

                [server]
                io_threads = -1
                """);

        assertThat(problems).extracting(p -> p.line().orElse(-1)).containsExactly(3, 6);
    }
}
