package dev.gateway.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;

/**
 * On an HTTP/2 stream, wraps the raw body bytes some writers produce (static file chunks, multipart
 * preambles; an HTTP/1.1 codec takes those as they are) into {@code HttpContent}, the only body the
 * stream codec turns into DATA frames.
 */
final class Http2BodyAdapter extends ChannelOutboundHandlerAdapter {

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof ByteBuf ? new DefaultHttpContent((ByteBuf) msg) : msg, promise);
    }
}
