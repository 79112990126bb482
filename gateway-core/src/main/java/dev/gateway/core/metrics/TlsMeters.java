package dev.gateway.core.metrics;

import dev.gateway.core.tls.CertificateStatus;
import dev.gateway.core.tls.ServerTls;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main listener's certificates: {@code gateway_tls_certificate_expiry_timestamp_seconds{name}}
 * (the notAfter of every certificate served, by its first DNS name, so an alert can fire well
 * before expiry) and {@code gateway_tls_certificate_reloads_total{result}} (certificates put in
 * service, and new ones refused), read when scraped.
 */
final class TlsMeters {

    private final ServerTls tls;
    private final MultiGauge expiry;

    TlsMeters(MeterRegistry registry, ServerTls tls) {
        this.tls = tls;
        this.expiry = MultiGauge.builder("gateway.tls.certificate.expiry.timestamp")
                .baseUnit("seconds")
                .description("When each served certificate expires (its notAfter, Unix time), by its first DNS name")
                .register(registry);
        FunctionCounter.builder("gateway.tls.certificate.reloads", tls, ServerTls::loadedCount)
                .description("Certificates put in service (start-up, rotation, ACME) and new ones refused (the old one keeps serving)")
                .tag("result", "loaded")
                .register(registry);
        FunctionCounter.builder("gateway.tls.certificate.reloads", tls, ServerTls::refusedCount)
                .description("Certificates put in service (start-up, rotation, ACME) and new ones refused (the old one keeps serving)")
                .tag("result", "refused")
                .register(registry);
    }

    /** Rows for the certificates served now; one name seen twice keeps the earliest expiry. */
    void refresh() {
        Map<String, Double> byName = new LinkedHashMap<>();
        for (CertificateStatus status : tls.certificates()) {
            if (status.serving()) {
                byName.merge(status.name(), status.notAfter().getEpochSecond() * 1.0, Math::min);
            }
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        byName.forEach((name, at) -> rows.add(MultiGauge.Row.of(Tags.of("name", name), at)));
        expiry.register(rows, true);
    }
}
