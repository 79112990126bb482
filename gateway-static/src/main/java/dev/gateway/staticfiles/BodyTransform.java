package dev.gateway.staticfiles;

/**
 * Whether something between the site and the socket re-encodes a response body (on-the-fly
 * compression): such a body must be sent as bytes the pipeline can read, never as a zero-copy
 * {@code FileRegion} the kernel sends straight from the file.
 */
public interface BodyTransform {

    /**
     * @param contentType the Content-Type of the file
     * @param length its size in bytes
     * @return true when a response of this type and length will be re-encoded
     */
    boolean transforms(String contentType, long length);
}
