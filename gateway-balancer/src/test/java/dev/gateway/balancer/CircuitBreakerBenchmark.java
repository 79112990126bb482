package dev.gateway.balancer;

import dev.gateway.balancer.targets.Outcome;
import dev.gateway.config.Strategy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A closed breaker's hot path: admit a request, then record its outcome. Both must stay lock-free
 * and allocation-free, since every proxied attempt goes through them. Run by scripts/microbench.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CircuitBreakerBenchmark {

    private static final Outcome OK = Outcome.response(200, 1_000_000);
    private static final Outcome BAD_GATEWAY = Outcome.response(502, 1_000_000);

    private CircuitBreaker breaker;
    private int calls;

    @Setup
    public void setUp() {
        Pool pool = Pools.pool(Strategy.ROUND_ROBIN, 1, 1, 1);
        breaker = pool.breaker(pool.targets().get(0));
    }

    @Benchmark
    public boolean admitAndRecordSuccess() {
        boolean admitted = breaker.tryAdmit();
        breaker.record(OK);
        return admitted;
    }

    /** One failure in eight: counted in the window, far below the lenient breaker's trip rules. */
    @Benchmark
    public boolean admitAndRecordMixed() {
        boolean admitted = breaker.tryAdmit();
        breaker.record((++calls & 7) == 0 ? BAD_GATEWAY : OK);
        return admitted;
    }
}
