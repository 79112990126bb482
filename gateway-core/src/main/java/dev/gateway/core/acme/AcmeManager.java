package dev.gateway.core.acme;

import dev.gateway.config.AcmeConfig;
import dev.gateway.config.pem.CertificatePair;
import dev.gateway.core.tls.ServerTls;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [acme]}: keeps a certificate for every domain. At start a stored certificate is served at
 * once; a missing one is issued; each is renewed at two thirds of its lifetime ({@link
 * RenewalSchedule}) and a failed attempt is retried with backoff while the old certificate keeps
 * serving. An issued certificate is stored and handed to {@link ServerTls#putManaged}, which serves
 * it to new handshakes at once. Everything runs on one thread of its own, never an event loop.
 */
public final class AcmeManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AcmeManager.class);

    private final ServerTls tls;
    private final AcmeStorage storage;
    private final AcmeClient client;
    private final RenewalSchedule schedule = new RenewalSchedule(ThreadLocalRandom.current());
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Domain> domains = new LinkedHashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "gateway-acme");
        thread.setDaemon(true);
        return thread;
    });

    public AcmeManager(AcmeConfig config, ServerTls tls) {
        // acme4j signs CSRs and builds tls-alpn-01 certificates through BouncyCastle's provider.
        // Added last, so it never replaces the JDK's own algorithms for anything else.
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        this.tls = tls;
        this.storage = new AcmeStorage(config.storage());
        this.client = new AcmeClient(config, storage, tls.challenges());
        config.domains().forEach(domain -> domains.put(domain, new Domain(domain)));
    }

    /** Serves what is stored and schedules what is due; returns at once (issuing runs in the background). */
    public void start() {
        for (Domain domain : domains.values()) {
            CertificatePair stored = null;
            try {
                stored = storage.certificate(domain.name);
            } catch (IllegalArgumentException e) {
                log.warn("acme: the stored certificate of {} is unusable ({}); a new one is ordered", domain.name,
                        e.getMessage());
            }
            if (stored != null && stored.names().contains(domain.name) && tls.putManaged(domain.name, stored)) {
                log.info("acme: {} served from storage (expires {})", domain.name, stored.notAfter());
                served(domain, stored);
            } else {
                at(domain, Duration.ZERO);
            }
        }
    }

    /** Orders a new certificate for {@code domain} now, whatever its renewal date; completes when the attempt ended. */
    public CompletableFuture<AcmeDomainStatus> renewNow(String domain) {
        Domain state = domains.get(domain);
        if (state == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not an [acme] domain: " + domain));
        }
        CompletableFuture<AcmeDomainStatus> done = new CompletableFuture<>();
        executor.execute(() -> {
            attempt(state);
            done.complete(status(state));
        });
        return done;
    }

    private void attempt(Domain domain) {
        synchronized (domain) {
            domain.lastAttempt = clock.instant();
        }
        try {
            CertificatePair pair = client.issue(domain.name);
            storage.store(domain.name, pair);
            if (!tls.putManaged(domain.name, pair)) {
                throw new IllegalStateException("the issued certificate was refused (see the log)");
            }
            log.info("acme: certificate for {} issued, expires {}", domain.name, pair.notAfter());
            synchronized (domain) {
                domain.failures = 0;
                domain.lastError = null;
            }
            served(domain, pair);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            int failures;
            synchronized (domain) {
                failures = ++domain.failures;
                domain.lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            Duration wait = schedule.retryAfter(failures);
            log.error("acme: {} failed ({} in a row): {}; {}; next attempt in {}s", domain.name, failures,
                    domain.lastError, tls.managed(domain.name) == null ? "nothing is served for it yet"
                            : "the current certificate keeps serving", wait.toSeconds());
            at(domain, wait);
        }
    }

    private void served(Domain domain, CertificatePair pair) {
        Instant renewAt = schedule.renewAt(pair.notBefore(), pair.notAfter());
        synchronized (domain) {
            domain.renewAt = renewAt;
        }
        at(domain, Duration.between(clock.instant(), renewAt));
    }

    private void at(Domain domain, Duration wait) {
        Duration delay = wait.isNegative() ? Duration.ZERO : wait;
        synchronized (domain) {
            if (domain.next != null) {
                domain.next.cancel(false);
            }
            domain.nextAttempt = clock.instant().plus(delay);
            if (!executor.isShutdown()) {
                domain.next = executor.schedule(() -> attempt(domain), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Every domain, in configuration order. */
    public List<AcmeDomainStatus> domains() {
        List<AcmeDomainStatus> list = new ArrayList<>();
        domains.values().forEach(domain -> list.add(status(domain)));
        return list;
    }

    private AcmeDomainStatus status(Domain domain) {
        CertificatePair pair = tls.managed(domain.name);
        synchronized (domain) {
            String state = pair == null ? "pending" : pair.notAfter().isBefore(clock.instant()) ? "expired" : "valid";
            return new AcmeDomainStatus(domain.name, state, pair == null ? null : pair.notAfter(), domain.renewAt,
                    domain.lastAttempt, domain.lastError, domain.failures, domain.nextAttempt);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** What is known of one domain; guarded by itself. */
    private static final class Domain {
        final String name;
        Instant renewAt;
        Instant lastAttempt;
        Instant nextAttempt;
        String lastError;
        int failures;
        ScheduledFuture<?> next;

        Domain(String name) {
            this.name = name;
        }
    }
}
