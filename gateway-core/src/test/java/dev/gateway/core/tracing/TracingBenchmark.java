package dev.gateway.core.tracing;

import dev.gateway.config.TracingConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;
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
 * What W3C tracing costs a request head on the event loop ({@link Tracing#begin}): {@code off}
 * (no {@code [tracing]}), {@code on} (the gateway starts a trace: two random ids, the header
 * written) and {@code on_parent} (the client's {@code traceparent} parsed and rewritten), against
 * {@code baseline}, which does not call it at all. Each invocation first puts the client's headers
 * back, the same work in every mode, so the difference to the baseline is tracing's. Run by
 * scripts/microbench.sh TracingBenchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TracingBenchmark {

    static final String CLIENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Param({"baseline", "off", "on", "on_parent"})
    public String mode;

    private Tracing tracing;
    private HttpHeaders headers;
    private boolean withParent;
    private boolean call;

    @Setup
    public void setUp() {
        tracing = mode.equals("off") || mode.equals("baseline") ? Tracing.from(TracingConfig.OFF)
                : Tracing.from(new TracingConfig(true, 1.0, Optional.empty(), "gateway"));
        withParent = !mode.equals("on");
        call = !mode.equals("baseline");
        headers = new DefaultHttpHeaders()
                .add("host", "api.example.com")
                .add("user-agent", "Mozilla/5.0 (X11; Linux x86_64)")
                .add("accept", "application/json")
                .add("x-request-id", "0af7651916cd43dd8448eb211c80319c");
    }

    @Benchmark
    public TraceContext begin() {
        if (withParent) {
            headers.set(Tracing.TRACEPARENT, CLIENT);
        } else {
            headers.remove(Tracing.TRACEPARENT);
        }
        return call ? tracing.begin(headers) : null;
    }
}
