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
 * <p>Directories never produce a listing: they serve their index file or 404. A regular file asked
 * for with a trailing slash is 404 (as in nginx), and anything that is neither a regular file nor
 * a directory (FIFO, device, socket) is 404, since opening a FIFO would block the event loop.
 */
final class RequestPathResolver {

    private final Path root;
    private final String index;
    private final boolean spaFallback;

    /**
     * @param root the site root's real path
     * @param index the file served for a directory
     * @param spaFallback whether unknown extension-less paths get the root index
     */
    RequestPathResolver(Path root, String index, boolean spaFallback) {
        this.root = root;
        this.index = index;
        this.spaFallback = spaFallback;
    }

    Resolution resolve(String pathInSite) {
        SitePath path = SitePath.parse(pathInSite);
        if (path.rejection() != null) {
            return Resolution.refused(path.rejection());
        }
        Path candidate = root;
        for (String segment : path.segments()) {
            candidate = candidate.resolve(segment);
        }
        Found found = lookUp(candidate);
        switch (found.kind) {
            case DIRECTORY:
                if (!path.directoryForm()) {
                    return Resolution.DIRECTORY_WITHOUT_SLASH;
                }
                return indexOf(found.real);
            case REGULAR_FILE:
                if (path.directoryForm()) {
                    return Resolution.NOT_FOUND;
                }
                return Resolution.file(found.real, path.lastSegment(), found.attributes);
            case MISSING:
                if (spaFallback && path.lastSegment().indexOf('.') < 0) {
                    return indexOf(root);
                }
                return Resolution.NOT_FOUND;
            case FORBIDDEN:
                return Resolution.FORBIDDEN;
            default:
                return Resolution.NOT_FOUND;
        }
    }

    private Resolution indexOf(Path directory) {
        Found found = lookUp(directory.resolve(index));
        if (found.kind == Kind.REGULAR_FILE) {
            return Resolution.file(found.real, index, found.attributes);
        }
        return found.kind == Kind.FORBIDDEN ? Resolution.FORBIDDEN : Resolution.NOT_FOUND;
    }

    private Found lookUp(Path candidate) {
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
            return new Found(Kind.DIRECTORY, real, attributes);
        }
        if (attributes.isRegularFile()) {
            return new Found(Kind.REGULAR_FILE, real, attributes);
        }
        return Found.REFUSED;
    }

    private boolean isInsideRoot(Path real) {
        if (!real.startsWith(root)) {
            return false;
        }
        for (Path name : root.relativize(real)) {
            if (name.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    private enum Kind {
        DIRECTORY,
        REGULAR_FILE,
        MISSING,
        FORBIDDEN,
        REFUSED
    }

    private static final class Found {

        static final Found NOT_THERE = new Found(Kind.MISSING, null, null);
        static final Found NO_ACCESS = new Found(Kind.FORBIDDEN, null, null);
        static final Found REFUSED = new Found(Kind.REFUSED, null, null);

        final Kind kind;
        final Path real;
        final BasicFileAttributes attributes;

        Found(Kind kind, Path real, BasicFileAttributes attributes) {
            this.kind = kind;
            this.real = real;
            this.attributes = attributes;
        }
    }
}
