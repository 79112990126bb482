package dev.gateway.core.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code watch_config = true}: watches the directory of the configuration file (and of the file it
 * links to, if different) and asks for a reload when the file's content changed. Watching the
 * directory, not the file, sees editors that save by writing a new file and renaming it, and
 * Kubernetes ConfigMaps that swap a {@code ..data} symlink; comparing content hashes ignores
 * events that changed nothing. Events are let settle for a short quiet period first, so a file
 * written in several steps is read once, whole.
 */
public final class ConfigWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final long QUIET_MILLIS = 200;

    private final Path file;
    private final Consumer<String> reload;
    private final WatchService watchService;
    private final Thread thread;
    private String lastSeen;

    /**
     * @param loadedSha256 hash of the content already running (no reload until it differs)
     * @param reload asks for a reload, given the trigger for the log
     */
    public ConfigWatcher(Path file, String loadedSha256, Consumer<String> reload) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.reload = reload;
        this.lastSeen = loadedSha256;
        this.watchService = FileSystems.getDefault().newWatchService();
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(this.file.getParent());
        try {
            dirs.add(this.file.toRealPath().getParent());
        } catch (IOException e) {
            // the file may be missing right now; its own directory is still watched
        }
        for (Path dir : dirs) {
            dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        }
        this.thread = new Thread(this::run, "gateway-config-watch");
        thread.setDaemon(true);
        thread.start();
        log.info("watching {} for changes", dirs.size() == 1 ? dirs.iterator().next() : dirs);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                settle(key);
                String current = ConfigReloader.sha256Of(file);
                if (current != null && !Objects.equals(current, lastSeen)) {
                    lastSeen = current;
                    reload.accept("config file changed");
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    /** Drains events until none arrived for a quiet period. */
    private void settle(WatchKey key) throws InterruptedException {
        while (key != null) {
            key.pollEvents();
            if (!key.reset()) {
                // e.g. the old ..2024_xx directory of a ConfigMap, deleted after the swap
                log.info("config watch: {} is gone; no longer watched", key.watchable());
            }
            key = watchService.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("closing the config watch", e);
        }
        thread.interrupt();
    }
}
