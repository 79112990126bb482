package dev.gateway.core.tracing.otlp;

import dev.gateway.config.TracingConfig;
import dev.gateway.core.http.Exchange;
import dev.gateway.core.http.ExchangeObserver;
import dev.gateway.core.tracing.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the gateway's sampled spans to {@code [tracing] otlp_endpoint} over OTLP/HTTP with the
 * OpenTelemetry SDK. On the event loop an ended exchange costs one small object and a non-blocking
 * offer to the {@link BatchSpanProcessor}'s bounded queue (2048 spans; when it is full, spans are
 * dropped, never waited for); the processor's own thread turns them into OTLP data and posts them
 * in batches of up to 512, at least once a second. Unsampled traces are not exported.
 */
public final class OtlpSpans implements ExchangeObserver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OtlpSpans.class);
    static final Duration SCHEDULE_DELAY = Duration.ofSeconds(1);
    static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);

    private final BatchSpanProcessor processor;
    private final Resource resource;
    private final InstrumentationScopeInfo scope;

    private OtlpSpans(String endpoint, String serviceName, String version) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint)
                .setTimeout(EXPORT_TIMEOUT)
                .build();
        this.processor = BatchSpanProcessor.builder(exporter)
                .setScheduleDelay(SCHEDULE_DELAY)
                .setExporterTimeout(EXPORT_TIMEOUT)
                .build();
        this.resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), serviceName,
                AttributeKey.stringKey("service.version"), version)));
        this.scope = InstrumentationScopeInfo.builder("dev.gateway").setVersion(version).build();
    }

    /** The export {@code config} asks for, or null when it has no {@code otlp_endpoint}. */
    public static OtlpSpans start(TracingConfig config, String version) {
        if (!config.enabled() || config.otlpEndpoint().isEmpty()) {
            return null;
        }
        log.info("exporting sampled spans to {} (OTLP/HTTP, service.name {})", config.otlpEndpoint().get(),
                config.serviceName());
        return new OtlpSpans(config.otlpEndpoint().get(), config.serviceName(), version);
    }

    @Override
    public void completed(Exchange exchange) {
        TraceContext trace = exchange.trace();
        if (trace == null || !trace.sampled()) {
            return;
        }
        processor.onEnd(new ExchangeSpan(exchange, trace, System.nanoTime(), System.currentTimeMillis(), resource, scope));
    }

    /** Sends what is queued (waiting up to the export timeout) and stops the processor's thread. */
    @Override
    public void close() {
        processor.shutdown().join(EXPORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
