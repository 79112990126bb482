package dev.gateway.config;

import java.util.Optional;

/**
 * {@code [tracing]}: W3C Trace Context. The table being present turns tracing on: every request
 * joins the trace its {@code traceparent} names, or starts one, and gets a span of the gateway's
 * own that is sent to the target and written to the access log.
 *
 * @param enabled true when the table is present
 * @param sampleRatio share (0-1) of the traces the gateway starts that are sampled; a request that
 *        brings a {@code traceparent} keeps its caller's decision
 * @param otlpEndpoint where sampled spans are sent over OTLP/HTTP (protobuf), the full URL
 *        ({@code http://collector:4318/v1/traces}); empty for no export
 * @param serviceName the {@code service.name} of the exported spans
 */
public record TracingConfig(boolean enabled, double sampleRatio, Optional<String> otlpEndpoint, String serviceName) {

    /** No {@code [tracing]} table: nothing is parsed, generated, forwarded or logged. */
    public static final TracingConfig OFF = new TracingConfig(false, 1.0, Optional.empty(), "gateway");
}
