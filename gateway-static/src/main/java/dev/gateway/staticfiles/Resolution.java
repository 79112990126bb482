package dev.gateway.staticfiles;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a request path maps to: a regular file to serve, a directory named without its trailing
 * slash (to be redirected), or a status to answer instead.
 *
 * @param kind which of the three
 * @param file the file's real path (symlinks resolved, inside the site root), for {@link Kind#FILE}
 * @param name the name the file was asked for by (the link's name, the index name); its extension
 *             picks the Content-Type, as in nginx and Caddy
 * @param attributes the one stat taken of {@code file}
 * @param status the status to answer, for {@link Kind#REFUSED}
 */
record Resolution(Kind kind, Path file, String name, BasicFileAttributes attributes, HttpResponseStatus status) {

    static final Resolution NOT_FOUND = refused(HttpResponseStatus.NOT_FOUND);
    static final Resolution FORBIDDEN = refused(HttpResponseStatus.FORBIDDEN);
    static final Resolution DIRECTORY_WITHOUT_SLASH =
            new Resolution(Kind.DIRECTORY_WITHOUT_SLASH, null, null, null, null);

    static Resolution file(Path file, String name, BasicFileAttributes attributes) {
        return new Resolution(Kind.FILE, file, name, attributes, null);
    }

    static Resolution refused(HttpResponseStatus status) {
        return new Resolution(Kind.REFUSED, null, null, null, status);
    }

    enum Kind {
        FILE,
        DIRECTORY_WITHOUT_SLASH,
        REFUSED
    }
}
