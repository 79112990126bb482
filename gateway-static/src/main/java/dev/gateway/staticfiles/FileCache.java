package dev.gateway.staticfiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What nginx's {@code open_file_cache} does for metadata: remembers which file a request path
 * resolved to, with its precompressed siblings, validators and headers, so that a repeated request
 * costs one {@code stat} instead of a {@code realpath} (a {@code readlink} per path component), a
 * {@code stat} and one {@code lstat} per sibling, all on the event loop.
 *
 * <p>Unlike nginx with {@code open_file_cache_valid}, a change to the file itself is seen at once:
 * every hit stats the path as built from the configured root and uses the answer only while that
 * is still the same file (device and inode, size, modification time). A replaced file, a swapped
 * {@code current -> releases/v2} symlink or a deleted one fails that check and is resolved again
 * with every containment check. What a single stat cannot see, a sibling {@code .br} or
 * {@code .gz} added or removed, is picked up when an entry is older than {@link #REVALIDATE_NANOS}.
 *
 * <p>Files are not kept open (each GET opens its file, as before), so the cache never holds a
 * deleted file's disk space or a descriptor past a reload. Only files are cached; 404s, redirects
 * and the SPA fallback are resolved every time. Size is bounded by entry count and key length, so
 * a client requesting endless distinct spellings of paths only churns it.
 */
final class FileCache {

    /** After this, an entry is resolved again in full even if the file did not change. */
    static final long REVALIDATE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int MAX_ENTRIES = 1024;
    /** Longer request paths are resolved every time rather than pinned in memory. */
    static final int MAX_KEY_LENGTH = 256;

    private final RequestPathResolver resolver;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    FileCache(RequestPathResolver resolver) {
        this.resolver = resolver;
    }

    Resolution resolve(String pathInSite) {
        Entry entry = entries.get(pathInSite);
        long now = System.nanoTime();
        if (entry != null && now - entry.resolvedAt < REVALIDATE_NANOS && stillSameFile(entry.resolution)) {
            return entry.resolution;
        }
        Resolution resolution = resolver.resolve(pathInSite);
        if (resolution.kind() == Resolution.Kind.FILE && resolution.candidate() != null
                && pathInSite.length() <= MAX_KEY_LENGTH) {
            if (entry == null && entries.size() >= MAX_ENTRIES) {
                evictOne();
            }
            entries.put(pathInSite, new Entry(resolution, now));
        } else if (entry != null) {
            entries.remove(pathInSite, entry);
        }
        return resolution;
    }

    int size() {
        return entries.size();
    }

    private static boolean stillSameFile(Resolution resolution) {
        try {
            return resolution.representations().sameFile(
                    Files.readAttributes(resolution.candidate(), BasicFileAttributes.class));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Any entry: the cache only saves system calls, so which one goes matters little. */
    private void evictOne() {
        Iterator<String> keys = entries.keySet().iterator();
        if (keys.hasNext()) {
            entries.remove(keys.next());
        }
    }

    private record Entry(Resolution resolution, long resolvedAt) {
    }
}
