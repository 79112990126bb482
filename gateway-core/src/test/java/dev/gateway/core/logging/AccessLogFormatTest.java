package dev.gateway.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.core.http.Exchange;
import dev.gateway.core.http.Exchanges;
import dev.gateway.core.tracing.TraceContext;
import org.junit.jupiter.api.Test;

/** The two access-log line formats, field by field. */
class AccessLogFormatTest {

    private static final long START = 1_000_000_000L;

    private static Exchange proxied() {
        Exchange e = Exchanges.started("rid-1", "GET", "/api/users?x=1", "HTTP/1.1", "192.0.2.7", "curl/8.0 \"q\"",
                null, START);
        return Exchanges.ended(e, "api", "http://10.0.0.1:3000", 12_345_678, 200, 10, 1234);
    }

    @Test
    void combinedIsNginxCombinedPlusRequestTimeIdRouteAndTarget() {
        String line = AccessLog.combined(proxied(), START + 218_303_000L);

        assertThat(line).matches("192\\.0\\.2\\.7 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\\] "
                + "\"GET /api/users\\?x=1 HTTP/1\\.1\" 200 1234 \"-\" \"curl/8\\.0 \\\\\"q\\\\\"\" "
                + "rt=0\\.218 rid=rid-1 route=api target=http://10\\.0\\.0\\.1:3000");
    }

    @Test
    void requestTimeKeepsThreeDecimals() {
        assertThat(AccessLog.combined(proxied(), START + 2_000_000_000L)).contains(" rt=2.000 ");
        assertThat(AccessLog.combined(proxied(), START + 61_005_400_000L)).contains(" rt=61.005 ");
        assertThat(AccessLog.combined(proxied(), START)).contains(" rt=0.000 ");
    }

    @Test
    void aTracedExchangeCarriesItsTraceAndSpanIdsInBothFormats() {
        TraceContext trace = new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", null, true, null);
        Exchange e = Exchanges.traced(proxied(), trace);
        assertThat(AccessLog.json(e, START)).contains(
                "\"request_id\":\"rid-1\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"");
        assertThat(AccessLog.combined(e, START))
                .endsWith(" target=http://10.0.0.1:3000 trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7");
        assertThat(AccessLog.json(proxied(), START)).doesNotContain("trace_id", "span_id");
    }
}
