package dev.gateway.core;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real HTTP/1.1 backend on 127.0.0.1:0 for proxy tests. Each accepted connection gets
 * {@code HttpServerCodec} and a handler from the test's supplier; the backend counts connections
 * and can be stopped to simulate a dead target.
 */
final class TestBackend implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    final AtomicInteger connections = new AtomicInteger();
    final List<Channel> open = new CopyOnWriteArrayList<>();

    private TestBackend(Supplier<ChannelHandler> handler, int port) throws InterruptedException {
        this(handler, port, null);
    }

    private TestBackend(Supplier<ChannelHandler> handler, int port, io.netty.handler.ssl.SslContext tls)
            throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        open.add(ch);
                        ch.closeFuture().addListener(f -> open.remove(ch));
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), handler.get());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
    }

    /** An https backend presenting the given server context's certificate. */
    static TestBackend startTls(io.netty.handler.ssl.SslContext tls, Supplier<ChannelHandler> handler)
            throws InterruptedException {
        return new TestBackend(handler, 0, tls);
    }

    static TestBackend start(Supplier<ChannelHandler> handler) throws InterruptedException {
        return new TestBackend(handler, 0);
    }

    /** Restarts on a given port (a target that comes back). */
    static TestBackend startOn(int port, Supplier<ChannelHandler> handler) throws InterruptedException {
        return new TestBackend(handler, port);
    }

    int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Drops every open connection without a response (a crashed process). */
    void killConnections() {
        open.forEach(Channel::close);
    }

    /** Stops the backend (a process that died); closing again is harmless. */
    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        server.close().syncUninterruptibly();
        open.forEach(Channel::close);
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
