package dev.gateway.core.http;

import dev.gateway.core.compression.ResponseCompressor;
import dev.gateway.core.middleware.Cors;
import dev.gateway.core.protocol.ErrorResponses;
import dev.gateway.core.tls.ClientCertificates;
import dev.gateway.core.tracing.TraceContext;
import dev.gateway.proxy.Downstream;
import dev.gateway.proxy.Forwarding;
import dev.gateway.proxy.websocket.WebSocketTunnel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response on a client connection, from its head to its end. Its two halves
 * run side by side: the request body is read (or dropped) until its last chunk, the response is
 * written until its last byte; the exchange is complete when both are done. It can also end early,
 * and then {@link #abort} says why and who is to blame:
 * <pre>
 *   reading body --last chunk--> request done ----.
 *   no response --head written--> responding --last byte--> response done --both--> completed
 *   any state --client closed | body_timeout | send_timeout | malformed body--> aborted (client's fault)
 * </pre>
 * An abort stops the {@link Forwarding} serving the request, which reports its attempt as
 * cancelled: the target's breaker, health and retry budget never see a failure the client caused.
 * Whatever way it ends, {@link ClientHandler} reports the exchange exactly once ({@link #ended}).
 *
 * <p>For a proxied request this is also the {@link Downstream} the forwarding talks to. One per
 * request, so a forwarding that finishes late can only ever detach itself, never the next request
 * on the same connection. Written only by this package, on the connection's event loop; other
 * packages read it through the accessors once it has ended.
 */
public final class Exchange implements Downstream {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

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
    /** A gRPC call: the gateway's own errors are gRPC statuses. */
    boolean grpc;
    /** The client sent {@code Expect: 100-continue} and has not been told to go on yet. */
    boolean expectContinue;
    boolean responseStarted;
    boolean responseDone;
    boolean requestDone;
    /** The route's CORS policy and the request's Origin, for the response headers (null: no CORS). */
    Cors cors;
    String origin;
    /** The compressor put in the pipeline for this exchange, or null. */
    ResponseCompressor compressor;
    private ClientAbort abort;
    private boolean ended;
    /** The gateway's span of this request, or null with tracing off (set once, with the head). */
    TraceContext trace;

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

    // ---- the request half -----------------------------------------------------------------------

    /**
     * A piece of the request body, delivered by the read gate because this exchange asked for it:
     * passed to the forwarding when there is one, else read and dropped (a request the gateway
     * answers itself), up to {@code max_body_size}. Takes ownership of {@code content}.
     */
    void onContent(HttpContent content, long maxBodySize) {
        try {
            if (ended || requestDone) {
                return;
            }
            if (content.decoderResult().isFailure()) {
                abort(ClientAbort.MALFORMED_BODY, HttpResponseStatus.BAD_REQUEST,
                        "bad chunk: " + content.decoderResult().cause().getMessage());
                return;
            }
            bytesIn += content.content().readableBytes();
            if (maxBodySize > 0 && bytesIn > maxBodySize) {
                requestDone = true;
                keepAlive = false;
                stopForwarding();
                if (responseStarted) {
                    handler.tryFinish(this);
                } else {
                    reject(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "body over max_body_size");
                }
                return;
            }
            boolean last = content instanceof LastHttpContent;
            if (last) {
                requestDone = true;
                handler.bodyDone();
            }
            if (call != null) {
                call.onRequestContent(content.retain());
                return;
            }
            if (last) {
                handler.tryFinish(this);
            } else {
                handler.read();
            }
        } finally {
            content.release();
        }
    }

    /** True while the body is still being read: the client may owe bytes. */
    boolean readingBody() {
        return !requestDone && !ended;
    }

    // ---- the response half ----------------------------------------------------------------------

    /** The response head went out (from the response tracker). */
    void responseHeadWritten(int status) {
        responseStarted = true;
        this.status = status;
    }

    // ---- ends -----------------------------------------------------------------------------------

    /**
     * Answers with the gateway's own error and closes the connection after it: nothing more is read
     * from it (a malformed head, ambiguous framing, a body over the limit).
     */
    void reject(HttpResponseStatus errorStatus, String why) {
        log.debug("{} from {}: {} ({})", errorStatus.code(), clientIp, why, uri);
        keepAlive = false;
        requestDone = true;
        ctx.writeAndFlush(error(errorStatus));
    }

    /**
     * The client cut the exchange short. Stops the forwarding (its attempt counts as cancelled, the
     * target connection is closed, never pooled); then, when no response has started, answers
     * {@code status} and closes after it, else closes at once (the response is visibly truncated).
     *
     * @param errorStatus the answer when no response started yet, or null for none (the client is gone)
     */
    void abort(ClientAbort why, HttpResponseStatus errorStatus, String detail) {
        if (ended || abort != null) {
            return;
        }
        abort = why;
        log.debug("exchange {} from {} aborted: {}", requestId, clientIp, detail);
        stopForwarding();
        keepAlive = false;
        requestDone = true;
        if (errorStatus != null && !responseStarted && ctx.channel().isActive()) {
            FullHttpResponse response = error(errorStatus);
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response);
            return;
        }
        ctx.close();
    }

    /** The connection closed with this exchange unfinished. */
    void connectionClosed() {
        if (!responseDone && abort == null) {
            abort = ClientAbort.CLOSED;
        }
        stopForwarding();
        if (!responseDone && !responseStarted) {
            status = 499; // nginx's: the client went away before the response
        }
    }

    private void stopForwarding() {
        Forwarding forwarding = call;
        call = null;
        if (forwarding != null) {
            forwarding.abort();
        }
    }

    /** True while nothing has answered the request yet (middleware that decides later checks this). */
    boolean awaitingAction() {
        return !ended && abort == null && !responseStarted && handler.current() == this;
    }

    /** Marks the exchange ended; true the first time only (the caller then reports it). */
    boolean ended() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }

    // ---- what the access log and metrics read -------------------------------------------------

    @Override
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

    /** {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2.0}. */
    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public String clientIp() {
        return clientIp;
    }

    @Override
    public String tlsClientSubject() {
        return ClientCertificates.subject(ctx.channel());
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

    /** The response status; 499 when the client left before a response started. */
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

    /** The gateway's span of this request (trace and span ids for logs), or null when tracing is off. */
    public TraceContext trace() {
        return trace;
    }

    /** Why the client cut the exchange short, or null when it did not. */
    public ClientAbort abort() {
        return abort;
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
    public String forwardedClientCert() {
        return secure ? ClientCertificates.forwardedClientCert(ctx.channel()) : null;
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
    public FullHttpResponse error(HttpResponseStatus errorStatus) {
        return ErrorResponses.create(errorStatus, requestId, grpc, trace);
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
