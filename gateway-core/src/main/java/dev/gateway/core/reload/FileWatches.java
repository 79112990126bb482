package dev.gateway.core.reload;

import dev.gateway.config.TlsConfig;
import dev.gateway.core.tls.ServerTls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway's file watches: the configuration file while {@code server.watch_config} is
 * on, and every certificate, key and client CA file of {@code [server.tls]}. A watch that cannot
 * start is logged; reloads by signal and {@code POST /reload} work without it. Changes are handled
 * on the watch threads, never an event loop.
 */
public final class FileWatches implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileWatches.class);

    private final ReloadStats stats;
    private final Consumer<String> reload;
    private FileWatcher config;
    private FileWatcher certificates;
    private Set<Path> watchedCertificates = Set.of();
    private boolean closed;

    /** @param reload asks for a reload, given what triggered it */
    public FileWatches(ReloadStats stats, Consumer<String> reload) {
        this.stats = stats;
        this.reload = reload;
    }

    /** Starts or stops watching the configuration file. */
    public synchronized void watchConfig(boolean enabled) {
        if (closed) {
            return;
        }
        if (enabled && config == null) {
            try {
                config = new FileWatcher(Map.of(stats.source(), stats.loaded().sha256()), "config file", reload);
            } catch (IOException | RuntimeException e) {
                log.warn("server.watch_config: cannot watch {} ({}); reload with SIGHUP or POST /reload",
                        stats.source(), e.toString());
            }
        } else if (!enabled && config != null) {
            config.close();
            config = null;
            log.info("server.watch_config is off: no longer watching {}", stats.source());
        }
    }

    /**
     * Watches the files of {@code tls} (again after a reload changed the list): a change re-reads
     * them and serves what passes (see {@link ServerTls#apply}).
     *
     * @param current the {@code [server.tls]} running when a change is seen
     */
    public synchronized void watchCertificates(ServerTls tls, Supplier<TlsConfig> current) {
        if (closed) {
            return;
        }
        Set<Path> files = tls.files();
        if (certificates != null && files.equals(watchedCertificates)) {
            return;
        }
        if (certificates != null) {
            certificates.close();
            certificates = null;
        }
        watchedCertificates = files;
        if (files.isEmpty()) {
            return;
        }
        try {
            certificates = FileWatcher.of(files, "TLS certificates", trigger -> {
                log.info("{}: reading the certificates again", trigger);
                tls.apply(current.get());
            });
        } catch (IOException | RuntimeException e) {
            log.warn("server.tls: cannot watch the certificate files ({}); SIGHUP or POST /reload reads them",
                    e.toString());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (config != null) {
            config.close();
        }
        if (certificates != null) {
            certificates.close();
        }
    }
}
