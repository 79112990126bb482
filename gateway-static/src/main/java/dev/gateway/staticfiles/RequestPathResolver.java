package dev.gateway.staticfiles;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Maps a request path to a file below the site root, the way nginx's {@code try_files $uri
 * $uri/index.html} (plus an optional SPA fallback) does, with the root as a hard boundary.
 *
 * <p>The lexical checks of {@link SitePath} cannot see symlinks, so every candidate is resolved
 * with {@link Path#toRealPath} and refused unless the real path lies below the root's real path
 * and has no hidden segment of its own: a link inside the site pointing at {@code /etc} or at
 * {@code .git} serves nothing. That is one {@code realpath} plus one {@code stat} per request.
 *
 * <p>Candidates are built from the configured root, not its real path, so a deploy that swaps a
 * {@code current -> releases/v2} symlink is picked up at once, as with nginx. The root's real
 * path is cached and re-resolved only when a candidate falls outside it, which costs one extra
 * {@code realpath} on that rare path and nothing on the common one.
 *
 * <p>Directories never produce a listing: they serve their index file or 404. A regular file asked
 * for with a trailing slash is 404 (as in nginx), and anything that is neither a regular file nor
 * a directory (FIFO, device, socket) is 404, since opening a FIFO would block the event loop.
 */
final class RequestPathResolver {

    private final Path root;
    private final String index;
    private final boolean spaFallback;
    /** The root's real path as last resolved; only ever replaced by a fresh resolution of {@link #root}. */
    private volatile Path realRoot;

    /**
     * @param root the configured site root, absolute
     * @param realRoot its real path, resolved when the site was built
     * @param index the file served for a directory
     * @param spaFallback whether unknown extension-less paths get the root index
     */
    RequestPathResolver(Path root, Path realRoot, String index, boolean spaFallback) {
        this.root = root;
        this.realRoot = realRoot;
        this.index = index;
        this.spaFallback = spaFallback;
    }

    Resolution resolve(String pathInSite) {
        SitePath path = SitePath.parse(pathInSite);
        if (path.rejection() != null) {
            return Resolution.refused(path.rejection());
        }
        String relative = String.join("/", path.segments());
        Found found = lookUp(relative);
        return switch (found.kind()) {
            case DIRECTORY -> path.directoryForm()
                    ? indexOf(relative, true)
                    : Resolution.DIRECTORY_WITHOUT_SLASH;
            case REGULAR_FILE -> path.directoryForm()
                    ? Resolution.NOT_FOUND
                    : Resolution.file(found, path.lastSegment(), true);
            case MISSING -> spaFallback && path.lastSegment().indexOf('.') < 0
                    ? indexOf("", false)
                    : Resolution.NOT_FOUND;
            case FORBIDDEN -> Resolution.FORBIDDEN;
            case REFUSED -> Resolution.NOT_FOUND;
        };
    }

    /**
     * The index file of a directory, given relative to the root ({@code ""} for the root).
     *
     * @param cacheable false for the SPA fallback: the answer stands for a path that does not
     *        exist, which a stat of the index cannot tell has appeared since
     */
    private Resolution indexOf(String directory, boolean cacheable) {
        Found found = lookUp(directory.isEmpty() ? index : directory + "/" + index);
        return switch (found.kind()) {
            case REGULAR_FILE -> Resolution.file(found, index, cacheable);
            case FORBIDDEN -> Resolution.FORBIDDEN;
            default -> Resolution.NOT_FOUND;
        };
    }

    /** @param relative safe segments joined by {@code /}: none empty, none a dot-segment */
    private Found lookUp(String relative) {
        Path candidate = root.resolve(relative);
        Path real;
        BasicFileAttributes attributes;
        try {
            real = candidate.toRealPath();
            if (!isInsideRoot(real)) {
                return Found.REFUSED;
            }
            attributes = Files.readAttributes(real, BasicFileAttributes.class);
        } catch (AccessDeniedException e) {
            return Found.NO_ACCESS;
        } catch (IOException | RuntimeException e) {
            // NoSuchFile, NotDirectory (a file used as a directory), name too long, invalid path
            return Found.NOT_THERE;
        }
        if (attributes.isDirectory()) {
            return new Found(Kind.DIRECTORY, candidate, real, attributes);
        }
        if (attributes.isRegularFile()) {
            return new Found(Kind.REGULAR_FILE, candidate, real, attributes);
        }
        return Found.REFUSED;
    }

    private boolean isInsideRoot(Path real) throws IOException {
        Path current = realRoot;
        if (!real.startsWith(current)) {
            Path fresh = root.toRealPath();
            if (fresh.equals(current) || !real.startsWith(fresh)) {
                return false;
            }
            realRoot = fresh;
            current = fresh;
        }
        for (Path name : current.relativize(real)) {
            if (name.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    enum Kind {
        DIRECTORY,
        REGULAR_FILE,
        MISSING,
        FORBIDDEN,
        REFUSED
    }

    /**
     * @param candidate the path as built from the configured root, before symlinks are resolved
     * @param real where it leads
     */
    record Found(Kind kind, Path candidate, Path real, BasicFileAttributes attributes) {

        static final Found NOT_THERE = new Found(Kind.MISSING, null, null, null);
        static final Found NO_ACCESS = new Found(Kind.FORBIDDEN, null, null, null);
        static final Found REFUSED = new Found(Kind.REFUSED, null, null, null);
    }
}
