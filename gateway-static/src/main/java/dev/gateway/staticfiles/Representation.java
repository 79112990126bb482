package dev.gateway.staticfiles;

import dev.gateway.staticfiles.AcceptEncoding.Coding;
import dev.gateway.staticfiles.MimeTypes.MimeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The file actually sent for a resolved path: the file itself or a precompressed sibling
 * ({@code app.js.br}, {@code app.js.gz}) chosen by {@link AcceptEncoding}, with its validators.
 *
 * <p>Siblings are looked up only for compressible types (so a JPEG costs one stat) and with
 * {@code lstat} in the already-resolved real directory: a sibling that is a symlink is ignored
 * rather than resolved, so it can never lead outside the root. The body keeps the original's
 * Content-Type; only Content-Encoding tells the client to decode it (RFC 9110 §8.4).
 *
 * @param file the real path to open
 * @param contentType the original file's Content-Type
 * @param coding the content coding of {@code file}
 * @param size its length in bytes
 * @param lastModifiedMillis its modification time
 * @param etag its strong entity tag, distinct per coding
 * @param hasVariants whether a sibling exists, so the response depends on Accept-Encoding
 *                    and must say so with {@code Vary} (RFC 9110 §12.5.5), even when identity is sent
 */
record Representation(Path file, String contentType, Coding coding, long size, long lastModifiedMillis,
                      String etag, boolean hasVariants) {

    static Representation select(Path file, BasicFileAttributes attributes, MimeType type, String acceptEncoding) {
        BasicFileAttributes br = null;
        BasicFileAttributes gzip = null;
        if (type.compressible()) {
            br = sibling(file, Coding.BR);
            gzip = sibling(file, Coding.GZIP);
        }
        boolean hasVariants = br != null || gzip != null;
        Coding coding = AcceptEncoding.select(acceptEncoding, br != null, gzip != null);
        BasicFileAttributes chosen = switch (coding) {
            case BR -> br;
            case GZIP -> gzip;
            case IDENTITY -> attributes;
        };
        Path chosenFile = coding == Coding.IDENTITY ? file : file.resolveSibling(file.getFileName() + coding.suffix);
        long mtime = chosen.lastModifiedTime().toMillis();
        return new Representation(chosenFile, type.contentType(), coding, chosen.size(), mtime,
                EntityTags.of(mtime, chosen.size(), coding.token), hasVariants);
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
