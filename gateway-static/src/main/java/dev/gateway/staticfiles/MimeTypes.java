package dev.gateway.staticfiles;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Content-Type by file extension, the table nginx's {@code mime.types} and Caddy carry for web
 * sites. Text types get {@code charset=utf-8} because browsers otherwise guess (and sometimes
 * guess wrong for non-ASCII CSS or JavaScript); unknown extensions are
 * {@code application/octet-stream} so that, with {@code nosniff}, nothing unknown is rendered.
 *
 * <p>The {@code compressible} flag marks types for which a precompressed {@code .br}/{@code .gz}
 * sibling is worth looking for: images, audio, video and archives are already compressed, so
 * serving them costs a single stat.
 */
final class MimeTypes {

    static final MimeType OCTET_STREAM = new MimeType("application/octet-stream", false);

    private static final Map<String, MimeType> BY_EXTENSION = table();

    private MimeTypes() {
    }

    /** The type for a file name, judged by the text after its last dot, case-insensitively. */
    static MimeType forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0 || dot == fileName.length() - 1) {
            return OCTET_STREAM;
        }
        String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(extension, OCTET_STREAM);
    }

    private static Map<String, MimeType> table() {
        Map<String, MimeType> t = new HashMap<>();
        // documents and code
        text(t, "text/html", "html", "htm");
        text(t, "application/xhtml+xml", "xhtml");
        text(t, "text/css", "css");
        text(t, "text/javascript", "js", "mjs", "cjs"); // RFC 9239
        text(t, "application/json", "json", "map");
        text(t, "application/ld+json", "jsonld");
        text(t, "application/manifest+json", "webmanifest");
        text(t, "application/xml", "xml", "xsl");
        text(t, "application/rss+xml", "rss");
        text(t, "application/atom+xml", "atom");
        text(t, "text/plain", "txt", "text", "log");
        text(t, "text/markdown", "md", "markdown");
        text(t, "text/csv", "csv");
        text(t, "text/tab-separated-values", "tsv");
        text(t, "text/calendar", "ics");
        text(t, "text/vcard", "vcf");
        text(t, "application/yaml", "yaml", "yml");
        text(t, "application/toml", "toml");
        text(t, "image/svg+xml", "svg");
        // images
        binary(t, "image/png", false, "png");
        binary(t, "image/apng", false, "apng");
        binary(t, "image/jpeg", false, "jpg", "jpeg", "jfif");
        binary(t, "image/gif", false, "gif");
        binary(t, "image/webp", false, "webp");
        binary(t, "image/avif", false, "avif");
        binary(t, "image/jxl", false, "jxl");
        binary(t, "image/x-icon", true, "ico");
        binary(t, "image/bmp", true, "bmp");
        binary(t, "image/tiff", false, "tif", "tiff");
        // fonts
        binary(t, "font/woff", false, "woff");
        binary(t, "font/woff2", false, "woff2");
        binary(t, "font/ttf", true, "ttf");
        binary(t, "font/otf", true, "otf");
        binary(t, "application/vnd.ms-fontobject", true, "eot");
        // applications and archives
        binary(t, "application/wasm", true, "wasm");
        binary(t, "application/pdf", false, "pdf");
        binary(t, "application/rtf", true, "rtf");
        binary(t, "application/epub+zip", false, "epub");
        binary(t, "application/zip", false, "zip");
        binary(t, "application/gzip", false, "gz", "tgz");
        binary(t, "application/x-tar", true, "tar");
        binary(t, "application/x-bzip2", false, "bz2");
        binary(t, "application/x-xz", false, "xz");
        binary(t, "application/zstd", false, "zst");
        binary(t, "application/x-7z-compressed", false, "7z");
        binary(t, "application/java-archive", false, "jar");
        binary(t, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", false, "docx");
        binary(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false, "xlsx");
        binary(t, "application/vnd.openxmlformats-officedocument.presentationml.presentation", false, "pptx");
        // audio
        binary(t, "audio/mpeg", false, "mp3");
        binary(t, "audio/ogg", false, "ogg", "oga", "opus");
        binary(t, "audio/wav", true, "wav");
        binary(t, "audio/flac", false, "flac");
        binary(t, "audio/aac", false, "aac");
        binary(t, "audio/mp4", false, "m4a");
        binary(t, "audio/webm", false, "weba");
        // video and streaming
        binary(t, "video/mp4", false, "mp4", "m4v");
        binary(t, "video/webm", false, "webm");
        binary(t, "video/ogg", false, "ogv");
        binary(t, "video/quicktime", false, "mov");
        binary(t, "video/x-msvideo", false, "avi");
        binary(t, "video/x-matroska", false, "mkv");
        binary(t, "video/mp2t", false, "ts");
        text(t, "application/vnd.apple.mpegurl", "m3u8");
        text(t, "application/dash+xml", "mpd");
        return Map.copyOf(t);
    }

    private static void text(Map<String, MimeType> table, String type, String... extensions) {
        add(table, new MimeType(type + "; charset=utf-8", true), extensions);
    }

    private static void binary(Map<String, MimeType> table, String type, boolean compressible,
                               String... extensions) {
        add(table, new MimeType(type, compressible), extensions);
    }

    private static void add(Map<String, MimeType> table, MimeType type, String... extensions) {
        for (String extension : extensions) {
            if (table.put(extension, type) != null) {
                throw new IllegalStateException("duplicate extension in MIME table: " + extension);
            }
        }
    }

    /**
     * @param contentType the full Content-Type header value
     * @param compressible whether a precompressed sibling may exist for files of this type
     */
    record MimeType(String contentType, boolean compressible) {
    }
}
