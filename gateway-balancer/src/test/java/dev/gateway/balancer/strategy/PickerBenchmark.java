package dev.gateway.balancer.strategy;

import dev.gateway.balancer.CircuitBreaker;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.Pools;
import dev.gateway.balancer.Selection;
import dev.gateway.balancer.targets.Outcome;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.Strategy;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Every strategy with 3 and 100 healthy targets. {@code pick} measures the strategy alone (what
 * the issue promises is allocation-free); {@code selectAndComplete} the pool's public path around
 * it, which also admits through the breaker, hands out a {@link Selection} and records the outcome.
 * Keys cycle over 64 client addresses so hash strategies do not see one key only. The pool is
 * loaded, not idle: each target has 0 to 15 requests in flight and a measured latency of 1 to 50
 * ms, fixed pseudo-randomly, so least-loaded strategies really have to compare.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PickerBenchmark {

    private static final Outcome OK = Outcome.response(200, 1_000_000);
    private static final int MODE = Eligibility.SKIP_TRIED | Eligibility.CHECK_BREAKER;

    @Param({"ROUND_ROBIN", "WEIGHTED_ROUND_ROBIN", "LEAST_CONNECTIONS", "RANDOM", "POWER_OF_TWO", "IP_HASH",
        "CONSISTENT_HASH", "LEAST_RESPONSE_TIME"})
    public Strategy strategy;

    @Param({"3", "100"})
    public int targets;

    private final List<Target> tried = List.of();
    private final RequestKey[] keys = new RequestKey[64];
    private Pool pool;
    private Picker picker;
    private int next;

    @Setup
    public void setUp() {
        int[] weights = new int[targets];
        for (int i = 0; i < targets; i++) {
            weights[i] = 1 + i % 3;
        }
        pool = Pools.pool(strategy, weights);
        Target[] array = pool.targets().toArray(new Target[0]);
        CircuitBreaker[] breakers = new CircuitBreaker[array.length];
        for (int i = 0; i < array.length; i++) {
            breakers[i] = pool.breaker(array[i]);
        }
        picker = Picker.create(pool.config(), new Eligibility(array, index -> breakers[index].wouldAdmit()));
        for (int i = 0; i < keys.length; i++) {
            keys[i] = Pools.Key.ip("192.0.2." + (i + 1));
        }
        Random random = new Random(42);
        for (int i = 0; i < array.length; i++) {
            for (int active = random.nextInt(16); active > 0; active--) {
                array[i].started();
            }
            Outcome measured = Outcome.response(200, 1_000_000L * (1 + random.nextInt(50)));
            picker.record(i, measured);
            pool.record(array[i], measured);
        }
    }

    private RequestKey nextKey() {
        return keys[next++ & (keys.length - 1)];
    }

    @Benchmark
    public int pick() {
        return picker.pick(nextKey(), tried, MODE);
    }

    @Benchmark
    public Target selectAndComplete() {
        Selection selection = pool.select(nextKey(), tried);
        selection.complete(OK);
        return selection.target();
    }
}
