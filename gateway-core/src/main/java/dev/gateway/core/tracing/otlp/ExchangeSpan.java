package dev.gateway.core.tracing.otlp;

import dev.gateway.core.http.Exchange;
import dev.gateway.core.tracing.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;

/**
 * The gateway's SERVER span of one ended exchange, as the SDK's span processor and exporter read
 * it. Captured on the event loop (a few fields); its attributes (HTTP semantic conventions, plus
 * {@code gateway.*}) are built only when the processor's thread exports it.
 */
@SuppressWarnings("deprecation") // ReadableSpan and SpanData still declare getInstrumentationLibraryInfo
final class ExchangeSpan implements ReadableSpan, SpanData {

    private final SpanContext context;
    private final SpanContext parent;
    private final String name;
    private final long startEpochNanos;
    private final long endEpochNanos;
    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final String method;
    private final String uri;
    private final String protocol;
    private final boolean secure;
    private final int status;
    private final String route;
    private final String target;
    private final String clientIp;
    private final String userAgent;
    private final String requestId;
    private final long bytesIn;
    private final long bytesOut;
    private final long upstreamNanos;
    private final String aborted;
    private Attributes attributes;

    ExchangeSpan(Exchange e, TraceContext trace, long nowNanos, long nowMillis, Resource resource,
                 InstrumentationScopeInfo scope) {
        TraceFlags flags = trace.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault();
        this.context = SpanContext.create(trace.traceId(), trace.spanId(), flags, TraceState.getDefault());
        this.parent = trace.parentSpanId() == null ? SpanContext.getInvalid()
                : SpanContext.createFromRemoteParent(trace.traceId(), trace.parentSpanId(), flags, TraceState.getDefault());
        this.name = "-".equals(e.route()) ? e.method() : e.method() + ' ' + e.route();
        this.endEpochNanos = nowMillis * 1_000_000L;
        this.startEpochNanos = endEpochNanos - (nowNanos - e.startNanos());
        this.resource = resource;
        this.scope = scope;
        this.method = e.method();
        this.uri = e.uri();
        this.protocol = e.protocol();
        this.secure = e.secure();
        this.status = e.status();
        this.route = e.route();
        this.target = e.target();
        this.clientIp = e.clientIp();
        this.userAgent = e.userAgent();
        this.requestId = e.requestId();
        this.bytesIn = e.bytesIn();
        this.bytesOut = e.bytesOut();
        this.upstreamNanos = e.upstreamNanos();
        this.aborted = e.abort() == null ? null : e.abort().label;
    }

    // ---- ReadableSpan (what the processor reads on the event loop: only the context) ------------

    @Override
    public SpanContext getSpanContext() {
        return context;
    }

    @Override
    public SpanContext getParentSpanContext() {
        return parent;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public SpanData toSpanData() {
        return this;
    }

    @Override
    @Deprecated
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
        return InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion());
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
        return scope;
    }

    @Override
    public boolean hasEnded() {
        return true;
    }

    @Override
    public long getLatencyNanos() {
        return endEpochNanos - startEpochNanos;
    }

    @Override
    public SpanKind getKind() {
        return SpanKind.SERVER;
    }

    @Override
    public <T> T getAttribute(AttributeKey<T> key) {
        return getAttributes().get(key);
    }

    // ---- SpanData (read by the exporter, on the processor's thread) ----------------------------

    @Override
    public synchronized Attributes getAttributes() {
        if (attributes == null) {
            attributes = attributes();
        }
        return attributes;
    }

    private Attributes attributes() {
        int query = uri.indexOf('?');
        AttributesBuilder b = Attributes.builder()
                .put("http.request.method", method)
                .put("url.path", query < 0 ? uri : uri.substring(0, query))
                .put("url.scheme", secure ? "https" : "http")
                .put("network.protocol.version", protocolVersion(protocol))
                .put("http.response.status_code", status)
                .put("client.address", clientIp)
                .put("http.request.body.size", bytesIn)
                .put("http.response.body.size", bytesOut)
                .put("gateway.route", route)
                .put("gateway.request_id", requestId);
        if (query >= 0) {
            b.put("url.query", uri.substring(query + 1));
        }
        if (userAgent != null) {
            b.put("user_agent.original", userAgent);
        }
        if (target != null) {
            b.put("gateway.target", target);
        }
        if (upstreamNanos >= 0) {
            b.put("gateway.upstream_ms", upstreamNanos / 1_000_000.0);
        }
        if (aborted != null) {
            b.put("gateway.aborted", aborted);
        }
        return b.build();
    }

    /** {@code 1.1}, {@code 1.0} or {@code 2}: the semantic conventions' HTTP/2 is "2", the access log's HTTP/2.0. */
    private static String protocolVersion(String protocol) {
        String version = protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
        return version.equals("2.0") ? "2" : version;
    }

    /** A server span is an error when the answer is a 5xx (semantic conventions: 4xx is the client's). */
    @Override
    public StatusData getStatus() {
        return status >= 500 && status < 600 ? StatusData.error() : StatusData.unset();
    }

    @Override
    public long getStartEpochNanos() {
        return startEpochNanos;
    }

    @Override
    public long getEndEpochNanos() {
        return endEpochNanos;
    }

    @Override
    public List<EventData> getEvents() {
        return List.of();
    }

    @Override
    public List<LinkData> getLinks() {
        return List.of();
    }

    @Override
    public int getTotalRecordedEvents() {
        return 0;
    }

    @Override
    public int getTotalRecordedLinks() {
        return 0;
    }

    @Override
    public int getTotalAttributeCount() {
        return getAttributes().size();
    }

    @Override
    public Resource getResource() {
        return resource;
    }
}
