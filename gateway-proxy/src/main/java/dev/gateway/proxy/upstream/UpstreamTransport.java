package dev.gateway.proxy.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * How upstream connections are made: the socket channel class matching the event loops' transport
 * (epoll, io_uring or NIO), the asynchronous DNS resolver shared by all of them, and the TLS client
 * context for {@code https://} targets (the JVM's trusted CAs).
 */
public record UpstreamTransport(Class<? extends SocketChannel> socketChannel,
                              AddressResolverGroup<InetSocketAddress> resolver,
                              SslContext tls) {

    /** A TLS client context that trusts the JVM's default CAs; certificates are checked against the target's host name. */
    public static SslContext defaultTls() {
        try {
            return SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2").build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the TLS client context: " + e.getMessage(), e);
        }
    }

    /**
     * A TLS handler for one connection to {@code host}: SNI set, and the certificate verified for
     * that name (RFC 2818 rules), so an https target can never be impersonated silently.
     */
    public SslHandler newTlsHandler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = tls.newHandler(alloc, host, port);
        SSLParameters parameters = handler.engine().getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        handler.engine().setSSLParameters(parameters);
        return handler;
    }
}
