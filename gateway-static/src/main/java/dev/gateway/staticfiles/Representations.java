package dev.gateway.staticfiles;

import dev.gateway.staticfiles.AcceptEncoding.Coding;
import dev.gateway.staticfiles.MimeTypes.MimeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Every representation a resolved file can be sent as: the file itself and, for compressible
 * types, its precompressed siblings ({@code app.js.br}, {@code app.js.gz}). Built once per
 * resolution (the sibling stats, entity tags and dates included), so a cached file answers any
 * Accept-Encoding without touching the file system or formatting anything.
 *
 * <p>Siblings are looked up with {@code lstat} in the already-resolved real directory: a sibling
 * that is a symlink is ignored rather than resolved, so it can never lead outside the root.
 *
 * @param identity the file itself
 * @param br its Brotli sibling, or null
 * @param gzip its gzip sibling, or null
 * @param attributes the stat of the file itself, to tell later whether it is still the same file
 */
record Representations(Representation identity, Representation br, Representation gzip,
                       BasicFileAttributes attributes) {

    static Representations lookUp(Path file, BasicFileAttributes attributes, MimeType type) {
        Representation br = null;
        Representation gzip = null;
        boolean hasVariants = false;
        if (type.compressible()) {
            BasicFileAttributes brAttributes = sibling(file, Coding.BR);
            BasicFileAttributes gzipAttributes = sibling(file, Coding.GZIP);
            hasVariants = brAttributes != null || gzipAttributes != null;
            br = Representation.of(file, type, Coding.BR, brAttributes, true);
            gzip = Representation.of(file, type, Coding.GZIP, gzipAttributes, true);
        }
        return new Representations(Representation.of(file, type, Coding.IDENTITY, attributes, hasVariants),
                br, gzip, attributes);
    }

    /** The representation for a request's Accept-Encoding (RFC 9110 §12.5.3). */
    Representation select(String acceptEncoding) {
        return switch (AcceptEncoding.select(acceptEncoding, br != null, gzip != null)) {
            case BR -> br;
            case GZIP -> gzip;
            case IDENTITY -> identity;
        };
    }

    /** Whether {@code now}, a fresh stat of the same path, still describes the file these were built from. */
    boolean sameFile(BasicFileAttributes now) {
        return now.isRegularFile()
                && now.size() == attributes.size()
                && now.lastModifiedTime().equals(attributes.lastModifiedTime())
                && Objects.equals(now.fileKey(), attributes.fileKey());
    }

    private static BasicFileAttributes sibling(Path file, Coding coding) {
        Path sibling = file.resolveSibling(file.getFileName() + coding.suffix);
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(sibling, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? attributes : null;
        } catch (IOException e) {
            return null;
        }
    }
}
