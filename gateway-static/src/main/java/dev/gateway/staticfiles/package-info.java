/**
 * Static files: serves a directory as a web site for a static route or the default site.
 *
 * <p>{@link dev.gateway.staticfiles.StaticSite} is the main public type; gateway-core builds one
 * per configured site and snapshot and calls {@code serve} for GET/HEAD-routed requests. Every
 * response it writes has an exact Content-Length (also HEAD, 304, errors and multipart), so
 * keep-alive never depends on closing the connection. The other public type,
 * {@link dev.gateway.staticfiles.LocationEncoding}, makes a request path safe for a
 * {@code Location} header; gateway-core's redirect routes use it too.
 *
 * <p>Status codes it produces, and why:
 * <ul>
 *   <li>200 / 206 / 304 / 412 / 416: RFC 9110 conditional and range semantics; a Range header
 *       that does not parse, names more than 16 ranges, or whose ranges add up to more than the
 *       file (overlap abuse) is ignored and the whole file is sent with 200.</li>
 *   <li>301: a directory asked for without its trailing slash; the Location is the normalized
 *       request path plus '/', percent-encoded where needed, query string kept.</li>
 *   <li>400: a malformed percent-escape, invalid UTF-8, NUL or another control character in the path.</li>
 *   <li>403: the file or a directory on the way is not readable by the gateway's user (as nginx).</li>
 *   <li>404: missing files, directories without an index (never a listing), hidden names
 *       ({@code .env}, {@code .git/}), encoded slashes and backslashes, dot-segments above the
 *       root, symlinks whose target is outside the root, FIFOs and devices.</li>
 *   <li>405 with {@code Allow: GET, HEAD}: any other method.</li>
 * </ul>
 *
 * <p>Which file a path leads to is remembered by {@link dev.gateway.staticfiles.FileCache} and
 * checked with one {@code stat} per request. Files are opened per request and closed when the response is done or the client is gone;
 * the body goes out zero-copy ({@code FileRegion}) on plain connections and through the pipeline's
 * {@code ChunkedWriteHandler} when TLS is in the pipeline.
 */
package dev.gateway.staticfiles;
