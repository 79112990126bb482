package dev.gateway.staticfiles;

import dev.gateway.staticfiles.AcceptEncoding.Coding;
import dev.gateway.staticfiles.MimeTypes.MimeType;
import io.netty.handler.codec.DateFormatter;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Date;

/**
 * One file actually sent for a resolved path, the file itself or a precompressed sibling chosen
 * by {@link AcceptEncoding}, with its validators. The body keeps the original's Content-Type;
 * only Content-Encoding tells the client to decode it (RFC 9110 §8.4).
 *
 * @param file the real path to open
 * @param contentType the original file's Content-Type
 * @param coding the content coding of {@code file}
 * @param size its length in bytes
 * @param lastModifiedMillis its modification time
 * @param lastModified the same as an HTTP-date (RFC 9110 §5.6.7), for Last-Modified
 * @param etag its strong entity tag, distinct per coding
 * @param hasVariants whether a sibling exists, so the response depends on Accept-Encoding
 *                    and must say so with {@code Vary} (RFC 9110 §12.5.5), even when identity is sent
 */
record Representation(Path file, String contentType, Coding coding, long size, long lastModifiedMillis,
                      String lastModified, String etag, boolean hasVariants) {

    /** @return null when {@code attributes} is null (no such sibling) */
    static Representation of(Path original, MimeType type, Coding coding, BasicFileAttributes attributes,
                             boolean hasVariants) {
        if (attributes == null) {
            return null;
        }
        Path file = coding == Coding.IDENTITY ? original : original.resolveSibling(original.getFileName() + coding.suffix);
        long mtime = attributes.lastModifiedTime().toMillis();
        return new Representation(file, type.contentType(), coding, attributes.size(), mtime,
                DateFormatter.format(new Date(mtime)), EntityTags.of(mtime, attributes.size(), coding.token),
                hasVariants);
    }
}
