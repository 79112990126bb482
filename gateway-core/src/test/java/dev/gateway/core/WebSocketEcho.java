package dev.gateway.core;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A Netty WebSocket endpoint under {@code /ws} for {@link TestBackend}: echoes every data frame as it
 * came (so fragments stay fragments), answers pings (Netty does), speaks subprotocol
 * {@code chat.v2}, and understands two commands: {@code who} answers the backend's name,
 * {@code close:CODE:REASON} closes with that code and reason. Close frames from the client are
 * recorded and echoed.
 */
final class WebSocketEcho {

    static final String SUBPROTOCOL = "chat.v2";

    final String name;
    /** Close frames from clients, as {@code CODE:REASON}. */
    final BlockingQueue<String> closesReceived = new LinkedBlockingQueue<>();

    WebSocketEcho(String name) {
        this.name = name;
    }

    /** A fresh handler for one backend connection. */
    ChannelHandler handler() {
        return new SimpleChannelInboundHandler<WebSocketFrame>(false) {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath("/ws")
                        .checkStartsWith(true)
                        .subprotocols(SUBPROTOCOL)
                        .allowExtensions(true)
                        .maxFramePayloadLength(16 * 1024 * 1024)
                        .handleCloseFrames(false)
                        .build();
                ctx.pipeline().addBefore(ctx.name(), null, new HttpObjectAggregator(64 * 1024));
                ctx.pipeline().addBefore(ctx.name(), null, new WebSocketServerProtocolHandler(config));
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                if (frame instanceof CloseWebSocketFrame close) {
                    closesReceived.add(close.statusCode() + ":" + close.reasonText());
                    ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                if (frame instanceof TextWebSocketFrame text && frame.isFinalFragment()) {
                    String message = text.text();
                    if (message.equals("who")) {
                        frame.release();
                        ctx.writeAndFlush(new TextWebSocketFrame(name));
                        return;
                    }
                    if (message.startsWith("close:")) {
                        frame.release();
                        String[] parts = message.split(":", 3);
                        ctx.writeAndFlush(new CloseWebSocketFrame(Integer.parseInt(parts[1]), parts[2]));
                        return;
                    }
                }
                ctx.writeAndFlush(frame);
            }
        };
    }
}
