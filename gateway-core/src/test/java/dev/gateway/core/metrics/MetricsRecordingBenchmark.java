package dev.gateway.core.metrics;

import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.load.ConfigLoader;
import dev.gateway.core.http.Exchange;
import dev.gateway.core.http.Exchanges;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What metrics cost a request: recording one finished exchange (request counter, duration
 * histogram, body bytes) and one upstream attempt (outcome counter, duration histogram), with the
 * meters already created, as they are after the first request of each kind. Run by scripts/microbench.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsRecordingBenchmark {

    private RequestMetrics requests;
    private UpstreamMetrics upstream;
    private Exchange exchange;
    private Pool pool;
    private Target target;
    private Outcome outcome;
    private long now;

    @Setup
    public void setUp() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        requests = new RequestMetrics(registry);
        upstream = new UpstreamMetrics(registry);
        exchange = Exchanges.ended(Exchanges.started("id", "POST", "/api/users", "HTTP/1.1", "127.0.0.1", null, null, 0),
                "api", null, 800_000, 200, 120, 2048);
        now = 1_200_000; // 1.2 ms after the start
        Path file = Files.createTempFile("bench", ".toml");
        Files.writeString(file, "[[routes]]\nname = \"api\"\npath = \"/*\"\ntargets = [\"http://127.0.0.1:3000\"]\n");
        pool = new Pool(ConfigLoader.load(file, Map.of()).upstreams().values().iterator().next());
        Files.delete(file);
        target = pool.targets().get(0);
        outcome = Outcome.response(200, 900_000);
    }

    @Benchmark
    public void requestCompleted() {
        requests.completed(exchange, now);
    }

    @Benchmark
    public void upstreamAttemptCompleted() {
        upstream.attemptCompleted(pool, target, outcome);
    }
}
