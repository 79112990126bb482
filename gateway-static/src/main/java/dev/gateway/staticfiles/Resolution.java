package dev.gateway.staticfiles;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.file.Path;

/**
 * What a request path maps to: a regular file to serve, a directory named without its trailing
 * slash (to be redirected), or a status to answer instead.
 *
 * @param kind which of the three
 * @param candidate for {@link Kind#FILE}: the path that led to the file, built from the configured
 *        root (symlinks not resolved), which {@link FileCache} stats to tell whether the answer
 *        still holds; null when the answer must not be cached (the SPA fallback)
 * @param representations for {@link Kind#FILE}: the file and its precompressed siblings
 * @param status the status to answer, for {@link Kind#REFUSED}
 */
record Resolution(Kind kind, Path candidate, Representations representations, HttpResponseStatus status) {

    static final Resolution NOT_FOUND = refused(HttpResponseStatus.NOT_FOUND);
    static final Resolution FORBIDDEN = refused(HttpResponseStatus.FORBIDDEN);
    static final Resolution DIRECTORY_WITHOUT_SLASH =
            new Resolution(Kind.DIRECTORY_WITHOUT_SLASH, null, null, null);

    /**
     * @param name the name the file was asked for by (the link's name, the index name); its
     *        extension picks the Content-Type, as in nginx and Caddy
     */
    static Resolution file(RequestPathResolver.Found found, String name, boolean cacheable) {
        Representations representations =
                Representations.lookUp(found.real(), found.attributes(), MimeTypes.forFileName(name));
        return new Resolution(Kind.FILE, cacheable ? found.candidate() : null, representations, null);
    }

    static Resolution refused(HttpResponseStatus status) {
        return new Resolution(Kind.REFUSED, null, null, status);
    }

    enum Kind {
        FILE,
        DIRECTORY_WITHOUT_SLASH,
        REFUSED
    }
}
