package dev.gateway.proxy.upstream;

/** Names of the handlers in an upstream connection's pipeline, in pipeline order: the one place they are spelled. */
public final class UpstreamPipeline {

    /** TLS to an {@code https://} target (absent for plain targets). */
    public static final String TLS = "tls";
    public static final String HTTP_CODEC = "httpCodec";
    /** The {@link UpstreamHandler}; a WebSocket tunnel end takes its place after a {@code 101}. */
    public static final String HANDLER = "upstream";

    private UpstreamPipeline() {
    }
}
