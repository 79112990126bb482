package dev.gateway.core.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
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
final class HandshakeRouter extends SslClientHelloHandler<SslContext> {

    private final Function<ClientHello, SslContext> select;

    HandshakeRouter(Function<ClientHello, SslContext> select) {
        this.select = select;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        return ctx.executor().newSucceededFuture(select.apply(ClientHello.parse(clientHello)));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<SslContext> future) {
        SslHandler handler = future.getNow().newHandler(ctx.alloc());
        try {
            ctx.pipeline().replace(this, ctx.name(), handler);
        } catch (Throwable cause) {
            // not in the pipeline: the engine (OpenSSL's is reference counted) is freed here
            ReferenceCountUtil.safeRelease(handler.engine());
            throw cause;
        }
    }
}
