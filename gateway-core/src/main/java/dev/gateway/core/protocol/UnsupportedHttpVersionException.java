package dev.gateway.core.protocol;

/** A well-formed {@code HTTP/d.d} version other than HTTP/1.x: answered 505 (RFC 9110 §15.6.6). */
final class UnsupportedHttpVersionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    UnsupportedHttpVersionException(String version) {
        super("HTTP version not supported: " + version);
    }
}
