package dev.gateway.proxy;

import dev.gateway.proxy.websocket.WebSocketTunnel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/** What a proxied call needs from the client connection it serves (implemented by the server core). */
public interface Downstream {

    /** The client pipeline's context: responses are written here. */
    ChannelHandlerContext context();

    String clientIp();

    /** The request's id, as in {@code X-Request-Id} and the access log. */
    String requestId();

    /**
     * The subject of the certificate the client presented on its TLS connection (RFC 4514 form),
     * or "" without TLS or without a client certificate.
     */
    String tlsClientSubject();

    /** The protocol the request arrived with: {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2.0}. */
    String protocol();

    /** True when the client connection is TLS (for X-Forwarded-Proto). */
    boolean secure();

    /**
     * The client's verified TLS certificate as an {@code x-forwarded-client-cert} value (Envoy's
     * format), or null when the connection has none.
     */
    default String forwardedClientCert() {
        return null;
    }

    /** The port of the gateway listener the client connected to (for X-Forwarded-Port). */
    int listenerPort();

    /** Asks for the next piece of the request body; it arrives through {@link Forwarding#onRequestContent}. */
    void read();

    /** Answers {@code 100 Continue} if the client is waiting for it before sending its body. */
    void sendContinue();

    /** For the access log: the target an attempt went to, and the time to its response head. */
    void upstreamChosen(String targetUrl);

    void upstreamResponded(long nanos);

    /** The gateway's standard error response for this request. */
    FullHttpResponse error(HttpResponseStatus status);

    /** Registers the call that will consume the request body; called before the call starts. */
    void attach(Forwarding call);

    /** The call wants no more request body: the rest (if any) is read and dropped by the server. */
    void detach();

    /**
     * The target switched to WebSocket and its {@code 101} was just written: from now on the client
     * connection carries raw bytes. The server takes its HTTP handlers out of the pipeline, puts
     * {@code relay} last (bytes its decoder still holds are passed to it), and logs the exchange
     * when the connection closes, with the byte counts of {@code tunnel}.
     */
    void switchProtocols(ChannelHandler relay, WebSocketTunnel tunnel);
}
