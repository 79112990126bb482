package dev.gateway.proxy.upstream;

/**
 * Names of the handlers in an upstream pipeline, in pipeline order: the one place they are spelled.
 * <pre>
 *   HTTP/1.1 connection: [tls] -> httpCodec -> upstream
 *   HTTP/2 connection:   [tls -> alpn] -> h2Codec -> h2Multiplex -> h2Connection
 *   HTTP/2 stream:       httpCodec (stream frames) -> upstream
 * </pre>
 */
public final class UpstreamPipeline {

    /** TLS to an {@code https://} target (absent for plain targets). */
    public static final String TLS = "tls";
    public static final String HTTP_CODEC = "httpCodec";
    /** The {@link UpstreamHandler}; a WebSocket tunnel end takes its place after a {@code 101}. */
    public static final String HANDLER = "upstream";
    /** Waits for ALPN to settle on {@code h2}, then adds the HTTP/2 handlers and leaves. */
    static final String ALPN = "alpn";
    static final String H2_CODEC = "h2Codec";
    static final String H2_MULTIPLEX = "h2Multiplex";
    static final String H2_CONNECTION = "h2Connection";

    private UpstreamPipeline() {
    }
}
