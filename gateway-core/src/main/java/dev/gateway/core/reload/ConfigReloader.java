package dev.gateway.core.reload;

import dev.gateway.config.ConfigException;
import dev.gateway.config.ConfigProblem;
import dev.gateway.config.GatewayConfig;
import dev.gateway.config.load.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file when asked (SIGHUP, {@code POST /reload}, file watch) on one
 * thread of its own, never an event loop. Reloads run one at a time; requests arriving while one
 * is waiting to run join it, so a burst of file events costs one reload that reads the newest
 * content. An invalid file changes nothing: every problem is logged and counted.
 */
public final class ConfigReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path file;
    private final Function<GatewayConfig, ReloadOutcome> apply;
    private final ReloadStats stats;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "gateway-reload");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<CompletableFuture<ReloadOutcome>> waiting = new AtomicReference<>();

    /**
     * @param apply swaps in a valid configuration and describes what it did; an exception means
     *              nothing was swapped
     */
    public ConfigReloader(Path file, ReloadStats stats, Function<GatewayConfig, ReloadOutcome> apply) {
        this.file = file;
        this.stats = stats;
        this.apply = apply;
    }

    /** Asks for a reload; the future completes when it has been applied or refused. */
    public CompletableFuture<ReloadOutcome> request(String trigger) {
        while (true) {
            CompletableFuture<ReloadOutcome> queued = waiting.get();
            if (queued != null) {
                return queued;
            }
            CompletableFuture<ReloadOutcome> next = new CompletableFuture<>();
            if (waiting.compareAndSet(null, next)) {
                try {
                    executor.execute(() -> {
                        waiting.compareAndSet(next, null); // later requests read the file again
                        next.complete(reload(trigger));
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    waiting.compareAndSet(next, null);
                    next.completeExceptionally(new IllegalStateException("gateway is stopping"));
                }
                return next;
            }
        }
    }

    private ReloadOutcome reload(String trigger) {
        Instant at = Instant.now();
        log.info("reloading configuration from {} ({})", file, trigger);
        String toml;
        try {
            toml = Files.readString(file);
        } catch (IOException e) {
            return failed(ReloadOutcome.failed(at, null, List.of(new ConfigProblem("", OptionalInt.empty(),
                    "cannot read config file " + file.toAbsolutePath() + ": " + e))));
        }
        String sha256 = sha256(toml.getBytes(StandardCharsets.UTF_8));
        ReloadOutcome outcome;
        try {
            GatewayConfig config = ConfigLoader.parse(toml, file, System.getenv());
            outcome = apply.apply(config);
        } catch (ConfigException e) {
            return failed(ReloadOutcome.failed(at, sha256, e.problems()));
        } catch (RuntimeException e) {
            log.error("reload failed while building the new configuration", e);
            return failed(ReloadOutcome.failed(at, sha256, List.of(new ConfigProblem("", OptionalInt.empty(),
                    e.getMessage() == null ? e.toString() : e.getMessage()))));
        }
        outcome = new ReloadOutcome(at, sha256, List.of(), outcome.needsRestart(), outcome.routes(), outcome.upstreams());
        stats.record(outcome);
        return outcome;
    }

    private ReloadOutcome failed(ReloadOutcome outcome) {
        stats.record(outcome);
        log.error("configuration {} is invalid ({} problem{}); still serving the previous configuration:",
                file, outcome.problems().size(), outcome.problems().size() == 1 ? "" : "s");
        for (ConfigProblem problem : outcome.problems()) {
            log.error("  {}", problem);
        }
        return outcome;
    }

    /** The hex SHA-256 of the file's current content, or null when it cannot be read. */
    public static String sha256Of(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
