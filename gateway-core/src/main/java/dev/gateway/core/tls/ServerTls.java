package dev.gateway.core.tls;

import dev.gateway.config.CertificateFiles;
import dev.gateway.config.TlsConfig;
import dev.gateway.config.pem.CertificatePair;
import dev.gateway.config.pem.PemFiles;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of the main listener: the certificates it serves (from {@code [server.tls]} files
 * and from ACME), chosen per handshake by SNI, and replaced without a restart.
 *
 * <p>{@link #apply} (start-up, every reload, a changed certificate file) and {@link #putManaged}
 * (ACME) read and check each certificate off the event loops, build its context, and publish the
 * whole set with one volatile write: handshakes that start afterwards use it, open connections
 * keep theirs. A new certificate that does not parse, does not match its key or has expired is
 * refused: the one it was to replace keeps serving, and the reason is logged, counted and kept
 * for {@code /status}.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final String ACME_PREFIX = "acme:";

    private final boolean http2;
    private final List<String> pipelineProtocols;
    private final boolean managedCertificates;
    private final Clock clock;
    private final SessionTicketKeys tickets = new SessionTicketKeys();
    /** ticket key rotation and OCSP fetches, off the event loops */
    private final ScheduledExecutorService rotation = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "gateway-tls");
        thread.setDaemon(true);
        return thread;
    });
    private final AcmeChallenges challenges;
    private final OcspStapler stapler = new OcspStapler(rotation);
    private final AtomicLong loaded = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** by source, in configuration order, then ACME domains */
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private TlsSettings settings;
    private String defaultSource;
    private Path clientCa;
    private CertificateSet.Served placeholder;
    private volatile CertificateSet current;

    /**
     * Loads every certificate of {@code config}; at least one must be served unless ACME provides them.
     *
     * @param http2 {@code [server] http2}: ALPN offers h2 first
     * @param pipelineProtocols the application protocols the connection pipeline speaks; ALPN offers no other
     * @param managedCertificates true when {@code [acme]} adds certificates through {@link #putManaged}
     * @throws IllegalStateException when nothing can be served, or the engine asked for does not load
     */
    public ServerTls(TlsConfig config, boolean http2, List<String> pipelineProtocols, boolean managedCertificates) {
        this(config, http2, pipelineProtocols, managedCertificates, Clock.systemUTC());
    }

    ServerTls(TlsConfig config, boolean http2, List<String> pipelineProtocols, boolean managedCertificates,
            Clock clock) {
        this.http2 = http2;
        this.pipelineProtocols = List.copyOf(pipelineProtocols);
        this.managedCertificates = managedCertificates;
        this.clock = clock;
        this.settings = TlsSettings.of(config, http2, pipelineProtocols);
        this.challenges = new AcmeChallenges(settings.engine());
        apply(config);
        if (current.find(null) == null) {
            throw new IllegalStateException("no certificate can be served: " + slots.values().stream()
                    .map(slot -> slot.source + ": " + slot.lastError).toList());
        }
        long period = SessionTicketKeys.ROTATION.toMillis();
        rotation.scheduleAtFixedRate(this::rotateTicketKeys, period, period, TimeUnit.MILLISECONDS);
    }

    /** The handler for a new connection: it becomes the connection's {@code SslHandler} once the ClientHello is read. */
    public ChannelHandler newHandler(Channel channel) {
        return new HandshakeRouter(this::select);
    }

    private HandshakeRouter.Selected select(ClientHello hello) {
        SslContext validation = challenges.select(hello);
        if (validation != null) {
            return new HandshakeRouter.Selected(validation, null);
        }
        CertificateSet.Served served = current.select(hello.serverName());
        return new HandshakeRouter.Selected(served.context(), served.staple().current());
    }

    /** Where the ACME client offers its challenge responses. */
    public AcmeChallenges challenges() {
        return challenges;
    }

    /** "openssl (BoringSSL)" or "jdk (Java 17...)", for the start-up log and {@code /status}. */
    public String engine() {
        return settings.engine().description();
    }

    /** The application protocols offered in ALPN, in order. */
    public List<String> alpn() {
        return settings.alpn();
    }

    /** Every file a certificate or the client CA is read from: what a file watch must see change. */
    public synchronized Set<Path> files() {
        Set<Path> files = new LinkedHashSet<>();
        slots.values().forEach(slot -> {
            if (slot.files != null) {
                files.add(slot.files.cert());
                files.add(slot.files.key());
            }
        });
        if (clientCa != null) {
            files.add(clientCa);
        }
        return files;
    }

    /**
     * Takes {@code [server.tls]} as it is now (start-up, reload, changed files): re-reads every
     * certificate and key and serves what changed and passed; sources no longer configured stop.
     */
    public synchronized void apply(TlsConfig config) {
        TlsSettings next;
        try {
            next = TlsSettings.of(config, http2, pipelineProtocols);
        } catch (IllegalArgumentException | IllegalStateException e) {
            refused.incrementAndGet();
            log.error("server.tls: {}; keeping the previous TLS settings", e.getMessage());
            next = settings;
        }
        boolean rebuild = !next.equals(settings);
        settings = next;
        Set<String> configured = new LinkedHashSet<>();
        for (CertificateFiles files : config.allCertificates()) {
            configured.add(files.keyPath());
            Slot slot = slots.computeIfAbsent(files.keyPath(), Slot::new);
            if (!files.equals(slot.files)) {
                slot.files = files;
                if (slot.served != null) {
                    slot.served.staple().stop();
                }
                slot.served = null; // other files: what served before is not this source's any more
            }
            try {
                offer(slot, PemFiles.pair(files.cert(), files.key()), rebuild);
            } catch (IllegalArgumentException e) {
                refuse(slot, e.getMessage());
            }
        }
        defaultSource = config.certificate().map(CertificateFiles::keyPath).orElse(null);
        clientCa = config.clientCa().orElse(null);
        slots.values().removeIf(slot -> {
            boolean gone = !slot.source.startsWith(ACME_PREFIX) && !configured.contains(slot.source);
            if (gone && slot.served != null) {
                slot.served.staple().stop();
            }
            return gone;
        });
        if (rebuild) {
            for (Slot slot : slots.values()) {
                if (slot.served != null && slot.files == null) {
                    offer(slot, slot.served.pair(), true);
                }
            }
        }
        publish();
    }

    /** Serves an ACME certificate for {@code domain} (new or renewed); refused like a file that does not pass. */
    public synchronized boolean putManaged(String domain, CertificatePair pair) {
        Slot slot = slots.computeIfAbsent(ACME_PREFIX + domain, Slot::new);
        boolean ok = offer(slot, pair, false);
        publish();
        return ok;
    }

    /** The ACME certificate served for {@code domain}, or null. */
    public synchronized CertificatePair managed(String domain) {
        Slot slot = slots.get(ACME_PREFIX + domain);
        return slot == null || slot.served == null ? null : slot.served.pair();
    }

    private boolean offer(Slot slot, CertificatePair pair, boolean rebuild) {
        Instant now = clock.instant();
        if (pair.notAfter().isBefore(now)) {
            refuse(slot, "the certificate " + where(slot) + "expired at " + pair.notAfter());
            return false;
        }
        if (!rebuild && slot.served != null && same(slot.served.pair(), pair)) {
            return true;
        }
        try {
            SslContext context = ServerContexts.build(pair, settings, tickets);
            if (slot.served != null) {
                slot.served.staple().stop();
            }
            slot.served = new CertificateSet.Served(pair, context, settings.engine().isOpenSsl()
                    ? stapler.start(slot.source, pair) : new OcspStapler.Staple());
        } catch (SSLException | RuntimeException e) {
            refuse(slot, "the TLS engine refused the certificate " + where(slot) + ": " + e.getMessage());
            return false;
        }
        slot.loadedAt = now;
        slot.lastError = null;
        slot.lastErrorAt = null;
        loaded.incrementAndGet();
        log.info("{}: serving the certificate for {} (expires {}, issuer {})", slot.source, pair.names(),
                pair.notAfter(), pair.leaf().getIssuerX500Principal().getName());
        return true;
    }

    private void refuse(Slot slot, String reason) {
        refused.incrementAndGet();
        slot.lastError = reason;
        slot.lastErrorAt = clock.instant();
        if (slot.served != null) {
            log.error("{}: new certificate refused: {}; still serving the previous one for {} (expires {})",
                    slot.source, reason, slot.served.pair().names(), slot.served.pair().notAfter());
        } else {
            log.error("{}: certificate refused: {}; nothing is served for it", slot.source, reason);
        }
    }

    private static String where(Slot slot) {
        return slot.files == null ? "" : slot.files.cert() + " ";
    }

    private static boolean same(CertificatePair a, CertificatePair b) {
        return a.chain().equals(b.chain()) && Arrays.equals(a.key().getEncoded(), b.key().getEncoded());
    }

    private void publish() {
        List<CertificateSet.Served> served = new ArrayList<>();
        CertificateSet.Served fallback = null;
        Slot defaultSlot = defaultSource == null ? null : slots.get(defaultSource);
        if (defaultSlot != null && defaultSlot.served != null) {
            fallback = defaultSlot.served;
        }
        for (Slot slot : slots.values()) {
            if (slot.served != null) {
                served.add(slot.served);
                if (fallback == null) {
                    fallback = slot.served;
                }
            }
        }
        if (fallback == null && managedCertificates) {
            fallback = placeholder();
        }
        current = new CertificateSet(served, fallback);
    }

    /**
     * Until ACME has issued anything, a handshake still needs some certificate: a self-signed one for
     * "localhost", made once. Browsers refuse it, as they would refuse any certificate for a name
     * not issued yet.
     */
    private CertificateSet.Served placeholder() {
        if (placeholder == null) {
            try {
                SelfSignedCertificate self = new SelfSignedCertificate("localhost");
                try {
                    CertificatePair pair = PemFiles.pair(self.certificate().toPath(), self.privateKey().toPath());
                    placeholder = new CertificateSet.Served(pair, ServerContexts.build(pair, settings, tickets),
                            new OcspStapler.Staple());
                } finally {
                    self.delete();
                }
            } catch (CertificateException | SSLException e) {
                throw new IllegalStateException("cannot make the placeholder certificate: " + e.getMessage(), e);
            }
        }
        return placeholder;
    }

    /** Runs every {@link SessionTicketKeys#ROTATION}; package-private for the test that rotates on demand. */
    void rotateTicketKeys() {
        List<SslContext> contexts;
        synchronized (this) {
            contexts = slots.values().stream().filter(slot -> slot.served != null)
                    .map(slot -> slot.served.context()).toList();
        }
        tickets.rotate(contexts);
        log.debug("session ticket keys rotated for {} context(s)", contexts.size());
    }

    /** Every certificate source, the default marked, as {@code /status} and the metrics show them. */
    public synchronized List<CertificateStatus> certificates() {
        CertificateSet.Served fallback = current.find(null);
        List<CertificateStatus> list = new ArrayList<>();
        for (Slot slot : slots.values()) {
            CertificatePair pair = slot.served == null ? null : slot.served.pair();
            list.add(new CertificateStatus(slot.source, pair == null ? null : pair.name(),
                    pair == null ? List.of() : pair.names(), pair == null ? null : pair.notBefore(),
                    pair == null ? null : pair.notAfter(),
                    pair == null ? null : pair.leaf().getIssuerX500Principal().getName(),
                    slot.served != null && slot.served == fallback, slot.loadedAt, slot.lastError, slot.lastErrorAt));
        }
        return list;
    }

    /** Certificates put in service (start-up, rotations, ACME issues), since start. */
    public long loadedCount() {
        return loaded.get();
    }

    /** New certificates (or TLS settings) refused, since start. */
    public long refusedCount() {
        return refused.get();
    }

    @Override
    public void close() {
        rotation.shutdownNow();
    }

    /** One certificate source and what it serves now. */
    private static final class Slot {
        final String source;
        CertificateFiles files;
        CertificateSet.Served served;
        Instant loadedAt;
        String lastError;
        Instant lastErrorAt;

        Slot(String source) {
            this.source = source;
        }
    }
}
