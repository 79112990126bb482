package dev.gateway.core;

import dev.gateway.config.Transport;
import dev.gateway.proxy.upstream.UpstreamTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket transport chosen at start-up: native epoll on Linux when available (fewer copies and
 * syscalls than NIO), io_uring only when asked for, NIO everywhere else.
 */
record Transports(String name, IoHandlerFactory ioHandlerFactory,
                  Class<? extends ServerSocketChannel> serverChannel,
                  Class<? extends SocketChannel> clientChannel,
                  Class<? extends DatagramChannel> datagramChannel) {

    static Transports select(Transport wanted) {
        switch (wanted) {
            case EPOLL:
                requireAvailable("epoll", Epoll.isAvailable(), Epoll.unavailabilityCause());
                return epoll();
            case IO_URING:
                requireAvailable("io_uring", IoUring.isAvailable(), IoUring.unavailabilityCause());
                return new Transports("io_uring", IoUringIoHandler.newFactory(),
                        IoUringServerSocketChannel.class, IoUringSocketChannel.class, IoUringDatagramChannel.class);
            case NIO:
                return nio();
            default:
                return Epoll.isAvailable() ? epoll() : nio();
        }
    }

    EventLoopGroup newGroup(int threads, String prefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(prefix, true), ioHandlerFactory);
    }

    /** How the proxy opens upstream connections on these event loops, with async DNS that honours TTLs. */
    UpstreamTransport clientTransport() {
        return new UpstreamTransport(clientChannel, new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(datagramChannel)
                .socketChannelType(clientChannel)));
    }

    private static Transports epoll() {
        return new Transports("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class,
                EpollDatagramChannel.class);
    }

    private static Transports nio() {
        return new Transports("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class,
                NioDatagramChannel.class);
    }

    private static void requireAvailable(String name, boolean available, Throwable cause) {
        if (!available) {
            throw new IllegalStateException("transport " + name + " is not available on this machine: " + cause);
        }
    }
}
