package dev.gateway.core.listener;

import dev.gateway.core.http.ClientPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * First handler of a cleartext connection when {@code h2c} is on, in front of the HTTP/1.1
 * handlers: a connection whose first bytes are the HTTP/2 client preface (prior knowledge, RFC 9113
 * §3.3) becomes an HTTP/2 connection, any other stays HTTP/1.1. It decides on the first byte that
 * differs from the preface, so an HTTP/1.1 request is never delayed, then leaves; the bytes it
 * looked at go on to whichever codec follows. {@code Upgrade: h2c} is not honoured (it is a request
 * smuggling vector): such a request is answered as HTTP/1.1.
 */
final class H2cPrefaceSwitch extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ClientInitializer pipelines;

    H2cPrefaceSwitch(ClientInitializer pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, length)) {
            ctx.pipeline().remove(this); // HTTP/1.1: the handlers behind are already in place
            return;
        }
        if (length < PREFACE.readableBytes()) {
            return; // so far, so HTTP/2: wait for the rest of the preface
        }
        ChannelPipeline p = ctx.pipeline();
        ClientPipeline.removeHttp1(p);
        pipelines.http2(p);
        p.remove(this);
    }
}
