package dev.gateway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.balancer.strategy.RequestKey;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.config.Strategy;
import dev.gateway.config.TargetConfig;
import dev.gateway.config.UpstreamConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsistentHashRemapTest {

    private static final int KEYS = 20_000;
    private static final int TARGETS = 10;

    @Test
    void removingOneOfNTargetsRemapsAboutOneNthOfKeys() {
        List<TargetConfig> all = Pools.targets(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        List<TargetConfig> withoutFourth = new ArrayList<>(all);
        TargetConfig removed = withoutFourth.remove(3);
        Pool before = pool("path", all);
        Pool after = pool("path", withoutFourth);

        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            Pools.Key key = new Pools.Key("192.0.2.1", "/items/" + i, Map.of(), Map.of());
            String from = url(before, key);
            String to = url(after, key);
            if (!from.equals(to)) {
                moved++;
                assertThat(from).isEqualTo(removed.url());
            }
        }

        assertThat((double) moved / KEYS).isGreaterThan(0.5 / TARGETS).isLessThan(1.5 / TARGETS);
    }

    @Test
    void keysSpreadOverTargetsAndStayPut() {
        Pool pool = pool("path", Pools.targets(1, 1, 1, 1));
        int[] counts = new int[4];
        for (int i = 0; i < KEYS; i++) {
            Pools.Key key = new Pools.Key("192.0.2.1", "/items/" + i, Map.of(), Map.of());
            int first = Pools.pickOnce(pool, key);
            assertThat(Pools.pickOnce(pool, key)).isEqualTo(first);
            counts[first]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(KEYS / 4 * 7 / 10, KEYS / 4 * 13 / 10);
        }
    }

    @Test
    void headerKeyFallsBackToClientIpWhenMissing() {
        Pool byHeader = pool("header:X-User", Pools.targets(1, 1, 1, 1, 1));
        Pool byIp = pool("client_ip", Pools.targets(1, 1, 1, 1, 1));
        for (int i = 0; i < 200; i++) {
            String ip = "198.51.100." + i;
            Pools.Key withoutHeader = new Pools.Key(ip, "/a", Map.of(), Map.of());
            assertThat(url(byHeader, withoutHeader)).isEqualTo(url(byIp, withoutHeader));

            Pools.Key withHeader = new Pools.Key(ip, "/a", Map.of("X-User", "alice"), Map.of());
            assertThat(url(byHeader, withHeader))
                    .isEqualTo(url(byHeader, new Pools.Key("203.0.113.1", "/b", Map.of("X-User", "alice"), Map.of())));
        }
    }

    @Test
    void cookieKeyPinsAllRequestsCarryingTheSameCookie() {
        Pool pool = pool("cookie:session", Pools.targets(1, 1, 1, 1, 1));
        String first = url(pool, new Pools.Key("198.51.100.1", "/", Map.of(), Map.of("session", "s-42")));
        for (int i = 0; i < 100; i++) {
            assertThat(url(pool, new Pools.Key("198.51.100." + i, "/p" + i, Map.of(), Map.of("session", "s-42"))))
                    .isEqualTo(first);
        }
    }

    @Test
    void heavierTargetsOwnMoreKeys() {
        Pool pool = pool("path", Pools.targets(1, 3));
        int heavy = 0;
        for (int i = 0; i < KEYS; i++) {
            heavy += Pools.pickOnce(pool, new Pools.Key("192.0.2.1", "/k" + i, Map.of(), Map.of()));
        }
        assertThat((double) heavy / KEYS).isBetween(0.65, 0.85);
    }

    private static Pool pool(String hashKey, List<TargetConfig> targets) {
        return Pools.pool(Strategy.CONSISTENT_HASH, hashKey, targets, Pools.LENIENT_BREAKER,
                UpstreamConfig.AllUnhealthy.FAIL, System::nanoTime);
    }

    private static String url(Pool pool, RequestKey key) {
        Selection selection = pool.select(key, List.of());
        selection.complete(Outcome.response(200, 1_000));
        return selection.target().url();
    }
}
