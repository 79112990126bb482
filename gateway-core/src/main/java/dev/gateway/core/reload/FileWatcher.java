package dev.gateway.core.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches files (the configuration with {@code watch_config = true}; certificates and keys always)
 * and calls back, on its own thread, when the content of any of them changed. The directories are
 * watched, not the files: the file's own directory and the one it really lives in (followed
 * through symlinks, again after every change), so editors that save by writing a new file and
 * renaming it, Kubernetes ConfigMaps and Secrets that swap a {@code ..data} symlink, and certbot's
 * {@code live/} links into {@code archive/} are all seen; comparing content hashes ignores events
 * that changed nothing. Events are let settle for a short quiet period first, so a file written in
 * several steps (or a certificate and its key) is read once, whole.
 */
public final class FileWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileWatcher.class);
    private static final long QUIET_MILLIS = 200;

    private final Map<Path, String> lastSeen = new LinkedHashMap<>();
    private final Consumer<String> changed;
    private final String what;
    private final WatchService watchService;
    private final Set<Path> watched = new HashSet<>();
    private final Thread thread;

    /**
     * @param files the files, each with the hash of the content already in use (null: read it now)
     * @param what names them in the log and the trigger, e.g. "config file"
     * @param changed asks for what a change means, given the trigger
     */
    public FileWatcher(Map<Path, String> files, String what, Consumer<String> changed) throws IOException {
        files.forEach((file, sha256) -> {
            Path path = file.toAbsolutePath().normalize();
            lastSeen.put(path, sha256 != null ? sha256 : ConfigReloader.sha256Of(path));
        });
        this.what = what;
        this.changed = changed;
        this.watchService = FileSystems.getDefault().newWatchService();
        registerDirectories();
        this.thread = new Thread(this::run, "gateway-watch-" + what.replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
        log.info("watching {} for changes to the {}", watched.size() == 1 ? watched.iterator().next() : watched, what);
    }

    /** Watches {@code files} whose current content is in use. */
    public static FileWatcher of(Collection<Path> files, String what, Consumer<String> changed) throws IOException {
        Map<Path, String> map = new LinkedHashMap<>();
        files.forEach(file -> map.put(file, null));
        return new FileWatcher(map, what, changed);
    }

    /** The directory of each file and, through symlinks, of what it points to now. */
    private void registerDirectories() throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path file : lastSeen.keySet()) {
            dirs.add(file.getParent());
            try {
                dirs.add(file.toRealPath().getParent());
            } catch (IOException e) {
                // the file may be missing right now; its own directory is still watched
            }
        }
        for (Path dir : dirs) {
            if (watched.add(dir)) {
                dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watchService.take();
                settle(key);
                try {
                    registerDirectories(); // a symlink swap may point into a new directory
                } catch (IOException e) {
                    log.warn("{} watch: {}", what, e.toString());
                }
                boolean differs = false;
                for (Map.Entry<Path, String> entry : lastSeen.entrySet()) {
                    String current = ConfigReloader.sha256Of(entry.getKey());
                    if (current != null && !Objects.equals(current, entry.getValue())) {
                        entry.setValue(current);
                        differs = true;
                    }
                }
                if (differs) {
                    changed.accept(what + " changed");
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
                log.info("{} watch: {} is gone; no longer watched", what, key.watchable());
                watched.remove((Path) key.watchable());
            }
            key = watchService.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("closing the {} watch", what, e);
        }
        thread.interrupt();
    }
}
