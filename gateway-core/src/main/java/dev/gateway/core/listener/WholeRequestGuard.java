package dev.gateway.core.listener;

import dev.gateway.config.ServerConfig;
import dev.gateway.core.http.ClientHandler;
import dev.gateway.core.http.ConnectionTimeouts;
import dev.gateway.core.protocol.ErrorResponses;
import dev.gateway.core.protocol.HttpDates;
import dev.gateway.core.protocol.RequestFraming;
import dev.gateway.core.protocol.RequestIds;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection rules of a listener that reads each request whole ({@code HttpObjectAggregator})
 * and answers it itself: the admin and HTTPS-redirect listeners. One per connection, after the
 * aggregator; its {@link #timeouts()} go in front of the HTTP codec.
 *
 * <ul>
 *   <li>The connection counts against a {@link ConnectionLimiter} ({@link #admit}).</li>
 *   <li>{@code idle_timeout} while no request is in flight; {@code header_timeout} from a request's
 *       first byte until it has been read whole, body included (a body here is small and bounded by
 *       the aggregator, so a slow one is a slowloris too).</li>
 *   <li>A request Netty could not decode, or with ambiguous framing or a bad {@code Host}
 *       ({@link RequestFraming}, RFC 9112 §3.2, §6), is answered 4xx and the connection closed,
 *       after the responses owed to the requests before it.</li>
 *   <li>{@code send_timeout} while a response is written: a client that takes none of it is closed.</li>
 *   <li>{@link ClientHandler#DRAIN} closes the connection once no request is in flight.</li>
 * </ul>
 */
public final class WholeRequestGuard extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(WholeRequestGuard.class);

    private final ConnectionTimeouts timeouts;
    /** Requests passed on whose final response has not been written yet. */
    private int inFlight;
    /** The answer owed to a refused request once those before it are answered; nothing is read after it. */
    private HttpResponseStatus refusal;
    private boolean draining;

    private WholeRequestGuard(ConnectionTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    /**
     * The guard of a connection just accepted, with the timeouts of {@code server} as it is now; or
     * null, with the connection closed, when {@code limiter} already counts its maximum.
     */
    public static WholeRequestGuard admit(Channel channel, ConnectionLimiter limiter, ServerConfig server) {
        if (!limiter.tryAdmit(channel)) {
            channel.close();
            return null;
        }
        // The whole request, body included, is read within header_timeout: no separate body phase.
        return new WholeRequestGuard(new ConnectionTimeouts(server.idleTimeout().toNanos(),
                server.headerTimeout().toNanos(), 0, server.sendTimeout().toNanos()));
    }

    /** The handler that goes in front of the HTTP codec: it sees a request's first byte. */
    public ChannelHandler timeouts() {
        return timeouts;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeouts.awaitHead();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        FullHttpRequest request = (FullHttpRequest) msg;
        if (refusal != null || draining) {
            request.release();
            return;
        }
        timeouts.headReceived();
        HttpResponseStatus refused = refusal(request);
        if (refused != null) {
            request.release();
            refusal = refused;
            if (inFlight == 0) {
                refuse(ctx);
            }
            return;
        }
        inFlight++;
        ctx.fireChannelRead(request);
    }

    private static HttpResponseStatus refusal(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return RequestFraming.statusForDecodeFailure(request.decoderResult().cause());
        }
        return RequestFraming.problem(request) == null ? null : HttpResponseStatus.BAD_REQUEST;
    }

    private void refuse(ChannelHandlerContext ctx) {
        FullHttpResponse response = ErrorResponses.create(refusal, RequestIds.generate());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (draining && msg instanceof HttpResponse) {
            ((HttpResponse) msg).headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (msg instanceof HttpResponse && !isInterim(msg)) {
            timeouts.responseStarted();
            HttpHeaders headers = ((HttpResponse) msg).headers();
            if (!headers.contains(HttpHeaderNames.DATE)) {
                headers.set(HttpHeaderNames.DATE, HttpDates.now()); // RFC 9110 §6.6.1: an origin server sends one
            }
        }
        if (msg instanceof LastHttpContent && !isInterim(msg)) {
            ChannelPromise tracked = promise.unvoid();
            tracked.addListener(f -> answered(ctx, f.isSuccess()));
            ctx.write(msg, tracked);
            return;
        }
        ctx.write(msg, promise);
    }

    private static boolean isInterim(Object msg) {
        return msg instanceof HttpResponse && ((HttpResponse) msg).status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    /** The last byte of a final response was written (or failed). */
    private void answered(ChannelHandlerContext ctx, boolean success) {
        inFlight--;
        timeouts.responseDone();
        if (!success) {
            ctx.close();
        } else if (inFlight > 0 || !ctx.channel().isActive()) {
            return;
        } else if (refusal != null) {
            refuse(ctx);
        } else if (draining) {
            ctx.close();
        } else {
            timeouts.awaitHead();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandler.DRAIN) {
            draining = true;
            if (inFlight == 0) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
