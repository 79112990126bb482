package dev.gateway.core.http;

import dev.gateway.proxy.Downstream;
import dev.gateway.proxy.Forwarding;
import dev.gateway.proxy.websocket.WebSocketTunnel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One request and its response on a client connection: what the access log and the metrics read
 * when it ends, the two halves that must both be finished (request fully read, response fully
 * written) before the connection can take its next request, and, for a proxied request, the
 * {@link Downstream} the proxy's {@link Forwarding} talks to. One per request, so a forwarding that
 * finishes late can only ever detach itself, never the next request on the same connection.
 *
 * <p>Written only by the classes of this package, on the connection's event loop; other packages
 * read it through the accessors once it has ended.
 */
public final class Exchange implements Downstream {

    final String requestId;
    final String method;
    final String uri;
    final String protocol;
    final String clientIp;
    final String userAgent;
    final String referer;
    final long startNanos;
    private final ClientHandler handler;
    private final ChannelHandlerContext ctx;
    private final boolean secure;
    String route = "-";
    /** The forwarding consuming the request body, while there is one. */
    Forwarding call;
    String target;
    long upstreamNanos = -1;
    int status;
    long bytesIn;
    long bytesOut;
    boolean keepAlive;
    boolean responseStarted;
    boolean responseDone;
    boolean requestDone;

    /**
     * @param handler the connection's handler, asked for body and {@code 100 Continue} (null in tests)
     * @param ctx the client pipeline's context, where responses are written (null in tests)
     * @param secure true when the client connection is TLS
     */
    Exchange(String requestId, String method, String uri, String protocol, String clientIp,
             String userAgent, String referer, long startNanos, boolean keepAlive,
             ClientHandler handler, ChannelHandlerContext ctx, boolean secure) {
        this.requestId = requestId;
        this.method = method;
        this.uri = uri;
        this.protocol = protocol;
        this.clientIp = clientIp;
        this.userAgent = userAgent;
        this.referer = referer;
        this.startNanos = startNanos;
        this.keepAlive = keepAlive;
        this.handler = handler;
        this.ctx = ctx;
        this.secure = secure;
    }

    // ---- what the access log and metrics read -------------------------------------------------

    public String requestId() {
        return requestId;
    }

    public String method() {
        return method;
    }

    /** The request target as the client sent it. */
    public String uri() {
        return uri;
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String protocol() {
        return protocol;
    }

    @Override
    public String clientIp() {
        return clientIp;
    }

    /** The client's {@code User-Agent}, or null. */
    public String userAgent() {
        return userAgent;
    }

    /** The client's {@code Referer}, or null. */
    public String referer() {
        return referer;
    }

    /** {@link System#nanoTime()} when the request head arrived. */
    public long startNanos() {
        return startNanos;
    }

    /** The matched route's name, {@code static} for the default site, {@code -} when none matched. */
    public String route() {
        return route;
    }

    /** The URL of the target the last attempt went to, or null when nothing was forwarded. */
    public String target() {
        return target;
    }

    /** Nanoseconds from sending to the target's response head, or -1 when there was none. */
    public long upstreamNanos() {
        return upstreamNanos;
    }

    /** The response status; 499 when the client left before the response was complete. */
    public int status() {
        return status;
    }

    /** Request body bytes read from the client. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Response body bytes written to the client. */
    public long bytesOut() {
        return bytesOut;
    }

    // ---- the proxy's view of the client side (Downstream) -------------------------------------

    @Override
    public ChannelHandlerContext context() {
        return ctx;
    }

    @Override
    public boolean secure() {
        return secure;
    }

    @Override
    public int listenerPort() {
        SocketAddress local = ctx.channel().localAddress();
        return local instanceof InetSocketAddress ? ((InetSocketAddress) local).getPort() : 0;
    }

    @Override
    public void read() {
        if (call != null && !requestDone) {
            handler.read();
        }
    }

    @Override
    public void sendContinue() {
        if (handler.current() == this) {
            handler.continueIfExpected(ctx);
        }
    }

    @Override
    public void upstreamChosen(String targetUrl) {
        target = targetUrl;
    }

    @Override
    public void upstreamResponded(long nanos) {
        upstreamNanos = nanos;
    }

    @Override
    public FullHttpResponse error(HttpResponseStatus status) {
        return ErrorResponses.create(status, requestId);
    }

    @Override
    public void attach(Forwarding forwarding) {
        call = forwarding;
    }

    @Override
    public void detach() {
        call = null;
    }

    @Override
    public void switchProtocols(ChannelHandler relay, WebSocketTunnel tunnel) {
        handler.switchProtocols(this, relay, tunnel);
    }
}
