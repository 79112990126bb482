package dev.gateway.proxy.upstream;

import dev.gateway.config.UpstreamTlsConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLParameters;

/**
 * How upstream connections are made: the socket channel class matching the event loops' transport
 * (epoll, io_uring or NIO), the asynchronous DNS resolver shared by all of them, and the TLS client
 * contexts for {@code https://} targets (per upstream {@code tls} table; the JVM's trusted CAs by
 * default), for HTTP/1.1 or asking for {@code h2} by ALPN.
 */
public record UpstreamTransport(Class<? extends SocketChannel> socketChannel,
                              AddressResolverGroup<InetSocketAddress> resolver,
                              UpstreamTlsContexts tls) {

    public UpstreamTransport(Class<? extends SocketChannel> socketChannel,
                             AddressResolverGroup<InetSocketAddress> resolver) {
        this(socketChannel, resolver, new UpstreamTlsContexts());
    }

    /** A handler for one connection to {@code host} with the JVM's CAs (no {@code tls} table). */
    public SslHandler newTlsHandler(ByteBufAllocator alloc, String host, int port) {
        return newTlsHandler(alloc, host, port, UpstreamTlsConfig.DEFAULT);
    }

    /**
     * A TLS handler for one connection to {@code host}: SNI set to {@code server_name} or the host,
     * and, unless {@code verify = false}, the certificate checked for that name (RFC 9110 §4.3.4,
     * RFC 6125), so an https target can never be impersonated silently.
     */
    public SslHandler newTlsHandler(ByteBufAllocator alloc, String host, int port, UpstreamTlsConfig config) {
        return handler(tls.get(config, false), alloc, host, port, config);
    }

    /** The same for an HTTP/2 connection: ALPN asks for {@code h2}. */
    public SslHandler newH2TlsHandler(ByteBufAllocator alloc, String host, int port, UpstreamTlsConfig config) {
        return handler(tls.get(config, true), alloc, host, port, config);
    }

    private static SslHandler handler(SslContext context, ByteBufAllocator alloc, String host,
                                      int port, UpstreamTlsConfig config) {
        SslHandler handler = context.newHandler(alloc, config.serverName().orElse(host), port);
        if (config.verify()) {
            SSLParameters parameters = handler.engine().getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            handler.engine().setSSLParameters(parameters);
        }
        return handler;
    }
}
