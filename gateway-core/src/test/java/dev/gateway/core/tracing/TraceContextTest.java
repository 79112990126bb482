package dev.gateway.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.config.TracingConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * W3C Trace Context as the gateway applies it to a request head: a valid {@code traceparent} is
 * joined (same trace, the caller's span as parent, its sampling decision kept, {@code tracestate}
 * passed on); anything else starts a new trace sampled by {@code sample_ratio}; either way the head
 * then names the gateway's own span. Off, the head is not touched.
 */
class TraceContextTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT = "00f067aa0ba902b7";
    static final Tracing ON = Tracing.from(new TracingConfig(true, 1.0, Optional.empty(), "gateway"));

    private static HttpHeaders headers(String... nameValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    @Test
    void offTouchesNothing() {
        HttpHeaders headers = headers("traceparent", "00-" + TRACE + "-" + PARENT + "-01", "tracestate", "a=b");
        assertThat(Tracing.from(TracingConfig.OFF).begin(headers)).isNull();
        assertThat(headers.get("traceparent")).isEqualTo("00-" + TRACE + "-" + PARENT + "-01");
        assertThat(headers.get("tracestate")).isEqualTo("a=b");
    }

    @Test
    void aValidParentIsJoinedWithTheGatewaysOwnSpan() {
        HttpHeaders headers = headers("traceparent", "00-" + TRACE + "-" + PARENT + "-01", "tracestate", "vendor=x,other=y");
        TraceContext trace = ON.begin(headers);
        assertThat(trace.traceId()).isEqualTo(TRACE);
        assertThat(trace.parentSpanId()).isEqualTo(PARENT);
        assertThat(trace.spanId()).matches("[0-9a-f]{16}").isNotEqualTo(PARENT).isNotEqualTo("0000000000000000");
        assertThat(trace.sampled()).isTrue();
        assertThat(headers.get("traceparent")).isEqualTo("00-" + TRACE + "-" + trace.spanId() + "-01");
        assertThat(headers.get("tracestate")).isEqualTo("vendor=x,other=y");
    }

    @Test
    void theCallersSamplingDecisionIsKept() {
        Tracing never = Tracing.from(new TracingConfig(true, 0.0, Optional.empty(), "gateway"));
        HttpHeaders sampled = headers("traceparent", "00-" + TRACE + "-" + PARENT + "-01");
        assertThat(never.begin(sampled).sampled()).isTrue();
        HttpHeaders unsampled = headers("traceparent", "00-" + TRACE + "-" + PARENT + "-00");
        TraceContext trace = ON.begin(unsampled);
        assertThat(trace.sampled()).isFalse();
        assertThat(unsampled.get("traceparent")).endsWith("-00");
    }

    @Test
    void aLaterVersionIsReadByItsVersion00Fields() {
        TraceContext trace = ON.begin(headers("traceparent", "cc-" + TRACE + "-" + PARENT + "-01-what-the-future-holds"));
        assertThat(trace.traceId()).isEqualTo(TRACE);
        assertThat(trace.parentSpanId()).isEqualTo(PARENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 is exactly 55 characters
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",       // version ff is invalid
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",       // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",       // all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",       // upper case
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",       // misplaced dash
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",          // no flags
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",      // later version, no dash after
        "garbage", ""})
    void anInvalidParentStartsANewTraceAndDropsTracestate(String value) {
        HttpHeaders headers = headers("traceparent", value, "tracestate", "vendor=x");
        TraceContext trace = ON.begin(headers);
        assertThat(trace.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(TRACE);
        assertThat(trace.parentSpanId()).isNull();
        assertThat(trace.traceState()).isNull();
        assertThat(headers.get("traceparent")).isEqualTo(trace.traceparent());
        assertThat(headers.contains("tracestate")).isFalse();
    }

    @Test
    void twoTraceparentHeadersAreInvalid() {
        HttpHeaders headers = headers("traceparent", "00-" + TRACE + "-" + PARENT + "-01",
                "traceparent", "00-" + TRACE + "-" + PARENT + "-01");
        TraceContext trace = ON.begin(headers);
        assertThat(trace.traceId()).isNotEqualTo(TRACE);
        assertThat(headers.getAll("traceparent")).hasSize(1);
    }

    @Test
    void severalTracestateLinesAreOneListAndAnOversizedOneIsDropped() {
        HttpHeaders two = headers("traceparent", "00-" + TRACE + "-" + PARENT + "-01", "tracestate", "a=1",
                "tracestate", "b=2");
        assertThat(ON.begin(two).traceState()).isEqualTo("a=1,b=2");
        assertThat(two.getAll("tracestate")).containsExactly("a=1,b=2");
        HttpHeaders big = headers("traceparent", "00-" + TRACE + "-" + PARENT + "-01", "tracestate",
                "a=" + "x".repeat(Tracing.MAX_TRACESTATE));
        assertThat(ON.begin(big).traceState()).isNull();
        assertThat(big.contains("tracestate")).isFalse();
    }

    @Test
    void newTracesAreSampledBySampleRatio() {
        Tracing never = Tracing.from(new TracingConfig(true, 0.0, Optional.empty(), "gateway"));
        Tracing half = Tracing.from(new TracingConfig(true, 0.5, Optional.empty(), "gateway"));
        int sampled = 0;
        for (int i = 0; i < 2000; i++) {
            assertThat(never.begin(headers()).sampled()).isFalse();
            assertThat(ON.begin(headers()).sampled()).isTrue();
            sampled += half.begin(headers()).sampled() ? 1 : 0;
        }
        assertThat(sampled).isBetween(800, 1200);
    }

    @Test
    void theIdsWrittenIntoAHeadCanBeReadBack() {
        HttpHeaders headers = headers();
        TraceContext trace = ON.begin(headers);
        TraceContext written = Tracing.written(headers);
        assertThat(written.traceId()).isEqualTo(trace.traceId());
        assertThat(written.spanId()).isEqualTo(trace.spanId());
        assertThat(Tracing.written(headers())).isNull();
    }
}
