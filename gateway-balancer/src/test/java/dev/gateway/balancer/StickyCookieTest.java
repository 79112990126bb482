package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.Strategy;
import dev.gateway.config.TargetConfig;
import dev.gateway.config.UpstreamConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StickyCookieTest {

    private final Pools.FakeClock clock = new Pools.FakeClock();

    @Test
    void firstResponsePinsAndThePinIsHonoured() {
        Pool pool = stickyPool(Pools.targets(1, 1, 1));

        Selection first = pool.select(withCookie(null), List.of());
        String setCookie = first.setCookie();
        first.complete(Outcome.response(200, 1_000));

        assertThat(setCookie).startsWith("SRV=").endsWith("; Path=/; HttpOnly; SameSite=Lax");
        String value = setCookie.substring("SRV=".length(), setCookie.indexOf(';'));
        for (int i = 0; i < 50; i++) {
            Selection again = pool.select(withCookie(value), List.of());
            assertThat(again.target()).isSameAs(first.target());
            assertThat(again.setCookie()).as("already pinned: no new cookie").isNull();
            again.complete(Outcome.response(200, 1_000));
        }
    }

    @Test
    void everyTargetHasItsOwnValueAndPoolsBuiltAlikeAgree() {
        List<TargetConfig> targets = Pools.targets(1, 1, 1);
        Set<String> first = pinsOf(stickyPool(targets));
        Set<String> second = pinsOf(stickyPool(targets));

        assertThat(first).hasSize(3).isEqualTo(second);
        assertThat(first.stream().map(pin -> pin.substring(pin.indexOf(' ')))).doesNotHaveDuplicates();
    }

    /** "target Set-Cookie" for each of the three round-robin picks */
    private static Set<String> pinsOf(Pool pool) {
        Set<String> pins = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Selection selection = pool.select(withCookie(null), List.of());
            pins.add(selection.target() + " " + selection.setCookie());
            selection.complete(Outcome.response(200, 1_000));
        }
        return pins;
    }

    @Test
    void pinSurvivesReorderedTargets() {
        List<TargetConfig> targets = Pools.targets(1, 1, 1);
        Selection pinnedTo = stickyPool(targets).select(withCookie(null), List.of());
        String value = valueOf(pinnedTo.setCookie());

        Pool reordered = stickyPool(List.of(targets.get(2), targets.get(1), targets.get(0)));

        assertThat(reordered.select(withCookie(value), List.of()).target().url()).isEqualTo(pinnedTo.target().url());
    }

    @Test
    void unhealthyPinnedTargetIsReplacedAndTheClientRePinned() {
        Pool pool = stickyPool(Pools.targets(1, 1, 1));
        Target pinned = pool.targets().get(0);
        String value = valueOf(pool.select(withCookie(null), List.of()).setCookie());
        Pools.markHealthy(pinned, false);

        Selection moved = pool.select(withCookie(value), List.of());

        assertThat(moved.target()).isNotSameAs(pinned);
        assertThat(moved.setCookie()).isNotNull().doesNotContain(value);
        String newValue = valueOf(moved.setCookie());
        Pools.markHealthy(pinned, true);
        assertThat(pool.select(withCookie(newValue), List.of()).target()).isSameAs(moved.target());
    }

    @Test
    void openBreakerOnPinnedTargetMovesTheClient() {
        Pool pool = stickyPool(Pools.targets(1, 1, 1));
        Selection first = pool.select(withCookie(null), List.of());
        String value = valueOf(first.setCookie());
        first.complete(Outcome.failure(Outcome.Kind.CONNECT_FAILURE, 1_000)); // consecutive_failures = 1

        Selection moved = pool.select(withCookie(value), List.of());

        assertThat(moved.target()).isNotSameAs(first.target());
        assertThat(moved.setCookie()).isNotNull();
    }

    @Test
    void retryOfAPinnedRequestGoesElsewhereAndRePins() {
        Pool pool = stickyPool(Pools.targets(1, 1, 1));
        Selection first = pool.select(withCookie(null), List.of());
        String value = valueOf(first.setCookie());

        Selection retry = pool.select(withCookie(value), List.of(first.target()));

        assertThat(retry.target()).isNotSameAs(first.target());
        assertThat(retry.setCookie()).isNotNull();
    }

    @Test
    void unknownOrForeignValuesArePickedByTheStrategyAndPinned() {
        Pool pool = stickyPool(Pools.targets(1, 1, 1));

        Selection selection = pool.select(withCookie("not-a-target"), List.of());

        assertThat(selection.setCookie()).startsWith("SRV=");
    }

    @Test
    void duplicateUrlsGetDistinctValues() {
        TargetConfig same = Pools.target(1, 1);
        Pool pool = stickyPool(List.of(same, same));
        String a = valueOf(pool.select(withCookie(null), List.of()).setCookie());
        String b = valueOf(pool.select(withCookie(null), List.of()).setCookie());

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void nonStickyPoolsNeverSetCookies() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, 1, 1);

        assertThat(pool.select(withCookie(null), List.of()).setCookie()).isNull();
    }

    private Pool stickyPool(List<TargetConfig> targets) {
        return new Pool(new UpstreamConfig("api", targets, Strategy.ROUND_ROBIN, "client_ip", Optional.of("SRV"),
                Duration.ofSeconds(2), 64, Duration.ofSeconds(30), 1000, UpstreamConfig.AllUnhealthy.FAIL,
                Optional.empty(), Pools.breaker(1, 100, 20, 20, Duration.ofHours(1), 100, Duration.ofSeconds(10),
                        Duration.ofMinutes(5), 1, 100), dev.gateway.config.UpstreamTlsConfig.DEFAULT),
                clock);
    }

    private static Pools.Key withCookie(String value) {
        return new Pools.Key("192.0.2.1", "/", Map.of(), value == null ? Map.of() : Map.of("SRV", value));
    }

    private static String valueOf(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }
}
