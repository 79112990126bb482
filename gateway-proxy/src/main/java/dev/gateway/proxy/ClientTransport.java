package dev.gateway.proxy;

import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;

/**
 * How upstream connections are made: the socket channel class matching the event loops' transport
 * (epoll, io_uring or NIO) and the asynchronous DNS resolver shared by all of them.
 */
public record ClientTransport(Class<? extends SocketChannel> socketChannel,
                              AddressResolverGroup<InetSocketAddress> resolver) {
}
