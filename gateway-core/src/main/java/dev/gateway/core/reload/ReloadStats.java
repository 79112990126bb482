package dev.gateway.core.reload;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code /status} tells about the configuration: where it came from, when the running one was
 * loaded and its content hash, and how many reloads succeeded or failed (with the last failure).
 */
public final class ReloadStats {

    private final Path source;
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile ReloadOutcome loaded;
    private volatile ReloadOutcome lastFailure;

    public ReloadStats(Path source, ReloadOutcome initial) {
        this.source = source;
        this.loaded = initial;
    }

    void record(ReloadOutcome outcome) {
        if (outcome.applied()) {
            loaded = outcome;
            succeeded.incrementAndGet();
        } else {
            lastFailure = outcome;
            failed.incrementAndGet();
        }
    }

    public Path source() {
        return source;
    }

    /** The load (start-up or reload) whose configuration is running. */
    public ReloadOutcome loaded() {
        return loaded;
    }

    /** The most recent failed reload, or null. */
    public ReloadOutcome lastFailure() {
        return lastFailure;
    }

    public long succeeded() {
        return succeeded.get();
    }

    public long failed() {
        return failed.get();
    }
}
