package dev.gateway.core.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.function.Function;

/**
 * First in a TLS connection's pipeline: reads the ClientHello, picks the context for its server
 * name and ALPN offer from the certificates published at that moment, and replaces itself (under
 * the same name) with that context's {@link SslHandler}, which then performs the handshake on the
 * buffered ClientHello. Selection is a map lookup: nothing blocks the event loop.
 */
final class HandshakeRouter extends SslClientHelloHandler<HandshakeRouter.Selected> {

    private final Function<ClientHello, Selected> select;

    HandshakeRouter(Function<ClientHello, Selected> select) {
        this.select = select;
    }

    /** The context for a handshake and the OCSP response to staple (null: none). */
    record Selected(SslContext context, byte[] ocspResponse) {
    }

    @Override
    protected Future<Selected> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        return ctx.executor().newSucceededFuture(select.apply(ClientHello.parse(clientHello)));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<Selected> future) {
        Selected selected = future.getNow();
        SslHandler handler = selected.context().newHandler(ctx.alloc());
        if (selected.ocspResponse() != null && handler.engine() instanceof ReferenceCountedOpenSslEngine) {
            // RFC 6066 §8: answered only to clients that send status_request
            ((ReferenceCountedOpenSslEngine) handler.engine()).setOcspResponse(selected.ocspResponse());
        }
        try {
            ctx.pipeline().replace(this, ctx.name(), handler);
        } catch (Throwable cause) {
            // not in the pipeline: the engine (OpenSSL's is reference counted) is freed here
            ReferenceCountUtil.safeRelease(handler.engine());
            throw cause;
        }
    }
}
