package dev.gateway.core.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.config.load.ConfigLoader;
import dev.gateway.core.http.Exchange;
import dev.gateway.core.http.Exchanges;
import dev.gateway.core.metrics.RequestMetrics;
import dev.gateway.core.protocol.ErrorResponses;
import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.core.traffic.TrafficViews.RouteTraffic;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recent traffic as the dashboard sees it, with readings fed by hand one "second" apart: figures
 * over the last minute from the request histograms, error spikes against the five minutes before,
 * the recent errors ring and the bounded client tallies.
 */
class RecentTrafficTest {

    static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;
    PrometheusMeterRegistry registry;
    RecentTraffic traffic;
    RoutingSnapshot snapshot;
    long now = 1_000 * SECOND;

    @BeforeEach
    void setUp() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        traffic = new RecentTraffic(registry);
        Path file = Files.writeString(dir.resolve("app_config.toml"),
                "[[routes]]\nname = \"api\"\npath = \"/api/*\"\ntargets = [\"http://127.0.0.1:3000\"]\n"
                + "[[routes]]\nname = \"web\"\npath = \"/*\"\nredirect = \"/api/\"\n");
        snapshot = RoutingSnapshot.build(ConfigLoader.load(file, Map.of()), ErrorResponses::forRequest);
    }

    /** Records {@code count} requests of {@code route} taking {@code millis} each, as RequestMetrics does. */
    private void record(String route, String statusClass, int count, long millis) {
        Timer timer = Timer.builder("gateway.request.duration").tags("route", route, "status_class", statusClass)
                .serviceLevelObjectives(RequestMetrics.DURATION_BUCKETS).register(registry);
        for (int i = 0; i < count; i++) {
            timer.record(millis, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        now += SECOND;
        traffic.sample(snapshot, now);
    }

    private RouteTraffic route(String name) {
        return traffic.routes().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void routesGetRateErrorShareAndQuantilesOverTheLastMinute() {
        tick();
        for (int s = 0; s < 30; s++) {
            record("api", "2xx", 9, 3);    // 3 ms: the 2.5-5 ms bucket
            record("api", "5xx", 1, 200);  // 200 ms: the 100-250 ms bucket
            tick();
        }
        RouteTraffic api = route("api");
        assertThat(api.requests()).isEqualTo(300);
        assertThat(api.rps()).isEqualTo(10.0);
        assertThat(api.errorPct()).isEqualTo(10.0);
        assertThat(api.p50Nanos()).isBetween(2_500_000L, 5_000_000L);
        assertThat(api.p99Nanos()).isBetween(100_000_000L, 250_000_000L);
        assertThat(api.rpsPoints()).hasSize(60).endsWith(10.0, 10.0);
        assertThat(api.errorPoints()).endsWith(1.0);
        RouteTraffic web = route("web");
        assertThat(web.requests()).isZero();
        assertThat(web.errorPct()).isEqualTo(-1);
        assertThat(web.p99Nanos()).isEqualTo(-1);
        assertThat(traffic.insights().slowRoutes()).extracting(TrafficViews.Slowest::name).containsExactly("api");

        for (int s = 0; s < 70; s++) {
            tick(); // a quiet minute later the window is empty again
        }
        assertThat(route("api").requests()).isZero();
        assertThat(route("api").p99Nanos()).isEqualTo(-1);
    }

    @Test
    void aRouteWhose5xxShareJumpsIsAnErrorSpikeWithRequestIds() {
        tick();
        for (int s = 0; s < 120; s++) {
            record("api", "2xx", 20, 2);
            record("api", "5xx", s % 60 == 0 ? 1 : 0, 2); // a little background noise
            tick();
        }
        assertThat(traffic.insights().errorSpikes()).isEmpty();
        for (int s = 0; s < 5; s++) {
            record("api", "2xx", 10, 2);
            record("api", "5xx", 10, 2);
            traffic.completed(Exchanges.ended(Exchanges.started("boom-" + s, "GET", "/api/x", "HTTP/1.1", "10.0.0.9",
                    null, null, System.nanoTime()), "api", "http://127.0.0.1:3000", -1, 502, 0, 80));
            tick();
        }
        TrafficViews.ErrorSpike spike = traffic.insights().errorSpikes().get(0);
        assertThat(spike.route()).isEqualTo("api");
        assertThat(spike.recentPct()).isGreaterThan(20);
        assertThat(spike.baselinePct()).isLessThan(1);
        assertThat(spike.requestIds()).containsExactly("boom-4", "boom-3", "boom-2");
    }

    @Test
    void recentErrorsKeepTheLastHundredWithAReason() {
        for (int i = 0; i < 150; i++) {
            Exchange e = Exchanges.started("id-" + i, "GET", "/x", "HTTP/1.1", "10.0.0.1", null, null, System.nanoTime());
            traffic.completed(Exchanges.ended(e, i % 2 == 0 ? "api" : "-", i % 2 == 0 ? "http://t:1" : null,
                    -1, i % 2 == 0 ? 503 : 404, 0, 0));
        }
        Exchange relayed404 = Exchanges.started("app-404", "GET", "/x", "HTTP/1.1", "10.0.0.1", null, null, 0);
        traffic.completed(Exchanges.ended(relayed404, "api", "http://t:1", 1_000_000, 404, 0, 0));
        Exchange ok = Exchanges.started("fine", "GET", "/x", "HTTP/1.1", "10.0.0.1", null, null, 0);
        traffic.completed(Exchanges.ended(ok, "api", "http://t:1", 1_000_000, 200, 0, 0));

        assertThat(traffic.recentErrors()).hasSize(RecentTraffic.ERRORS_KEPT);
        assertThat(traffic.recentErrors().get(0).requestId()).isEqualTo("id-149");
        assertThat(traffic.recentErrors().get(0).reason()).isEqualTo("no route");
        assertThat(traffic.recentErrors().get(1).reason()).isEqualTo("no healthy target");
        assertThat(traffic.recentErrors()).extracting(ErrorRecord::requestId).doesNotContain("app-404", "fine", "id-49");
    }

    @Test
    void clientTalliesAreBoundedAndForgetAfterTwoRotations() {
        ClientTallies tallies = new ClientTallies();
        for (int i = 0; i < ClientTallies.MAX_CLIENTS + 50; i++) {
            tallies.record("10.1." + (i / 256) + "." + (i % 256), 404, "r" + i, "/x");
        }
        for (int i = 0; i < 5; i++) {
            tallies.record("10.1.0.7", 429, "limited-" + i, "/login");
        }
        assertThat(tallies.untracked()).isEqualTo(50);
        TrafficViews.SuspiciousClient top = tallies.top(5).get(0);
        assertThat(top.clientIp()).isEqualTo("10.1.0.7");
        assertThat(top.clientErrors()).isEqualTo(6);
        assertThat(top.rateLimited()).isEqualTo(5);
        assertThat(top.lastPath()).isEqualTo("/login");
        assertThat(top.requestIds()).containsExactly("limited-4", "limited-3", "limited-2");
        tallies.rotate();
        tallies.record("10.1.0.7", 404, "later", "/y");
        assertThat(tallies.top(1).get(0).clientErrors()).isEqualTo(7);
        assertThat(tallies.top(1).get(0).requestIds()).startsWith("later");
        tallies.rotate();
        tallies.rotate();
        assertThat(tallies.top(5)).isEmpty();
    }

    @Test
    void quantilesInterpolateWithinABucketLikePrometheus() {
        long[] older = Histograms.empty();
        long[] newer = Histograms.empty();
        // 100 values, all in the (5 ms, 10 ms] bucket: index 4 is the 10 ms bound
        for (int i = 4; i < newer.length; i++) {
            newer[i] = 100;
        }
        assertThat(Histograms.quantile(0.5, older, newer)).isEqualTo(7_500_000L);
        assertThat(Histograms.quantile(0.99, older, newer)).isEqualTo(9_950_000L);
        assertThat(Histograms.quantile(0.5, newer, newer)).isEqualTo(-1);
        long[] slow = Histograms.empty();
        slow[slow.length - 1] = 10; // every value above the last bound
        assertThat(Histograms.quantile(0.99, older, slow)).isEqualTo(30_000_000_000L);
    }
}
