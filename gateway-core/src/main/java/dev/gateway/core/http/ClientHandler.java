package dev.gateway.core.http;

import dev.gateway.core.protocol.GrpcErrors;
import dev.gateway.core.protocol.RequestFraming;
import dev.gateway.core.protocol.RequestIds;
import dev.gateway.core.protocol.UnderscoredHeaders;
import dev.gateway.core.routing.RequestPath;
import dev.gateway.core.tracing.TraceContext;
import dev.gateway.proxy.websocket.WebSocketTunnel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client connection: takes each request head, checks it, makes it an
 * {@link Exchange} and hands it to the {@link Dispatcher}; then waits until that exchange has ended
 * before it takes the next request. Messages are taken one at a time from the {@link ReadGate} in
 * front, so pipelined requests are handled in order, a body is consumed only as fast as its
 * destination takes it, and the next pipelined request waits while the client is not reading the
 * answers. Every exchange is reported once, here, whatever way it ended.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter implements ConnectionTimeouts.Expiry {

    /** User event asking a client connection to finish its current exchange and close (graceful shutdown). */
    public static final Object DRAIN = new Object();

    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

    private final ServerRuntime runtime;
    private final Dispatcher dispatcher;
    private final ConnectionTimeouts timeouts;
    private final ReadGate gate;
    /** One HTTP/2 stream (a child channel) rather than an HTTP/1.1 connection. */
    private final boolean http2Stream;
    private ChannelHandlerContext ctx;
    private String clientIp = "-";
    private Exchange exchange;
    private boolean draining;
    /** The next request waits until the client takes what was written (pipelining backpressure). */
    private boolean awaitingWritable;

    ClientHandler(ServerRuntime runtime, ConnectionTimeouts timeouts, ReadGate gate, boolean http2Stream) {
        this.runtime = runtime;
        this.dispatcher = runtime.dispatcher();
        this.timeouts = timeouts;
        this.gate = gate;
        this.http2Stream = http2Stream;
        timeouts.expiry(this);
    }

    Exchange current() {
        return exchange;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SocketAddress remote = http2Stream ? ctx.channel().parent().remoteAddress() : ctx.channel().remoteAddress();
        if (remote instanceof InetSocketAddress) {
            clientIp = ((InetSocketAddress) remote).getAddress().getHostAddress();
        }
        timeouts.awaitHead();
        read();
        ctx.fireChannelActive();
    }

    /** Asks for the next request message: delivered now if it is waiting, else when it arrives. */
    void read() {
        gate.demand();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            onRequestHead(ctx, (HttpRequest) msg);
        }
        if (msg instanceof HttpContent) {
            Exchange current = exchange;
            if (current == null) {
                ReferenceCountUtil.release(msg);
            } else {
                current.onContent((HttpContent) msg, runtime.snapshot().server().maxBodySize());
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequestHead(ChannelHandlerContext ctx, HttpRequest request) {
        timeouts.headReceived();
        HttpHeaders headers = request.headers();
        if (!runtime.snapshot().server().underscoresInHeaders()) {
            UnderscoredHeaders.drop(headers, clientIp);
        }
        String requestId = RequestIds.acceptOrGenerate(headers.get(RequestIds.HEADER));
        headers.set(RequestIds.HEADER, requestId);
        TraceContext trace = runtime.tracing().begin(headers);
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !draining;
        Exchange current = new Exchange(requestId, request.method().name(), request.uri(),
                http2Stream ? "HTTP/2.0" : request.protocolVersion().text(), clientIp, headers.get(HttpHeaderNames.USER_AGENT),
                headers.get(HttpHeaderNames.REFERER), System.nanoTime(), keepAlive, this, ctx, runtime.secure());
        current.trace = trace;
        current.grpc = GrpcErrors.isGrpc(headers);
        exchange = current;

        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            current.reject(RequestFraming.statusForDecodeFailure(result.cause()), result.cause().getMessage());
            return;
        }
        String framing = RequestFraming.problem(request);
        if (framing != null) {
            current.reject(HttpResponseStatus.BAD_REQUEST, framing);
            return;
        }
        long maxBody = runtime.snapshot().server().maxBodySize();
        if (maxBody > 0 && HttpUtil.getContentLength(request, -1L) > maxBody) {
            current.reject(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "Content-Length over max_body_size");
            return;
        }
        String expect = headers.get(HttpHeaderNames.EXPECT);
        if (expect != null) {
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())
                    || !request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                current.reject(HttpResponseStatus.EXPECTATION_FAILED, "unsupported Expect: " + expect);
                return;
            }
            headers.remove(HttpHeaderNames.EXPECT);
            current.expectContinue = true;
        }
        RequestPath path;
        try {
            path = RequestPath.parse(request.uri());
        } catch (IllegalArgumentException e) {
            current.reject(HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        if (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0) {
            timeouts.readingBody();
        }
        dispatcher.dispatch(ctx, current, request, path);
    }

    /** The request body was read to its end. */
    void bodyDone() {
        timeouts.bodyDone();
    }

    /** Called by {@link ResponseTracker} when a response head went out. */
    void responseStarted(Exchange started, int status) {
        started.responseHeadWritten(status);
        timeouts.responseStarted();
    }

    /** Called by {@link ResponseTracker} when the last byte of the response was written (or failed). */
    void responseWritten(Exchange written, boolean success) {
        written.responseDone = true;
        timeouts.responseDone();
        if (!success) {
            written.keepAlive = false;
            ctx.close();
            return;
        }
        if (!written.requestDone) {
            if (written.expectContinue || !written.keepAlive) {
                // The client may never send the body it was waiting to be asked for.
                written.keepAlive = false;
            } else {
                read(); // read and drop the rest of the body, then take the next request
                return;
            }
        }
        tryFinish(written);
    }

    /** Ends {@code done} if both its halves are finished, then takes the next request or closes. */
    void tryFinish(Exchange done) {
        if (!done.responseDone || exchange != done) {
            return;
        }
        if (!done.requestDone && done.keepAlive) {
            return;
        }
        exchange = null;
        if (done.compressor != null) {
            ClientPipeline.removeCompressor(ctx.pipeline());
        }
        report(done);
        if (!done.keepAlive || !done.requestDone || draining) {
            ctx.close();
            return;
        }
        timeouts.awaitHead();
        if (ctx.channel().isWritable()) {
            read();
        } else {
            awaitingWritable = true;
        }
    }

    private void report(Exchange done) {
        if (done.ended()) {
            runtime.completed(done);
        }
    }

    /**
     * The target switched this connection to WebSocket (its 101 was just written): the connection
     * stops being HTTP. The read gate (and the request's end it still holds) goes first, then
     * {@code relay} takes this handler's place, so what the HTTP decoder still buffers reaches the
     * relay when the decoder leaves; the timeouts go too (the tunnel has its own idle limit). The
     * connection keeps counting against {@code max_connections}; the exchange is logged, with the
     * bytes relayed, when it closes.
     */
    void switchProtocols(Exchange upgraded, ChannelHandler relay, WebSocketTunnel tunnel) {
        exchange = null;
        ChannelPipeline p = ctx.pipeline();
        ClientPipeline.removeCompressor(p);
        p.remove(ClientPipeline.READ_GATE);
        p.replace(this, ClientPipeline.RELAY, relay);
        p.remove(ClientPipeline.HTTP_CODEC);
        if (p.get(ClientPipeline.CHUNKED_WRITER) != null) {
            p.remove(ClientPipeline.CHUNKED_WRITER);
        }
        p.remove(ClientPipeline.RESPONSE_TRACKER);
        p.remove(ClientPipeline.TIMEOUTS);
        ctx.channel().closeFuture().addListener(f -> {
            upgraded.bytesIn += tunnel.bytesFromClient();
            upgraded.bytesOut += tunnel.bytesToClient();
            report(upgraded);
        });
    }

    /** Answers {@code 100 Continue} when an action is ready for the body the client holds back. */
    void continueIfExpected(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null && current.expectContinue) {
            current.expectContinue = false;
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    // ---- time limits (ConnectionTimeouts.Expiry) ------------------------------------------------

    @Override
    public boolean clientOwesBody() {
        Exchange current = exchange;
        return current != null && current.readingBody() && gate.isEmpty() && !gate.isPaused();
    }

    @Override
    public void bodyTimedOut() {
        Exchange current = exchange;
        if (current != null) {
            current.abort(ClientAbort.BODY_TIMEOUT, HttpResponseStatus.REQUEST_TIMEOUT, "body_timeout");
        }
    }

    @Override
    public void sendTimedOut() {
        Exchange current = exchange;
        if (current != null) {
            current.abort(ClientAbort.SEND_TIMEOUT, null, "send_timeout");
        } else {
            ctx.close();
        }
    }

    // ---- connection events ----------------------------------------------------------------------

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DRAIN) {
            draining = true;
            if (exchange == null) {
                ctx.close();
            } else if (!exchange.responseStarted) {
                exchange.keepAlive = false;
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null && current.call != null) {
            current.call.onClientWritabilityChanged();
        }
        if (awaitingWritable && ctx.channel().isWritable()) {
            awaitingWritable = false;
            read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange unfinished = exchange;
        if (unfinished != null) {
            exchange = null;
            unfinished.connectionClosed();
            report(unfinished);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client connection from {} failed: {}", clientIp, cause.toString());
        ctx.close();
    }
}
