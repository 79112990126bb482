package dev.gateway.proxy.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * How upstream connections are made: the socket channel class matching the event loops' transport
 * (epoll, io_uring or NIO), the asynchronous DNS resolver shared by all of them, and the TLS client
 * contexts for {@code https://} targets (the JVM's trusted CAs): one for HTTP/1.1, one that asks
 * for {@code h2} by ALPN.
 */
public record UpstreamTransport(Class<? extends SocketChannel> socketChannel,
                              AddressResolverGroup<InetSocketAddress> resolver,
                              SslContext tls,
                              SslContext tlsH2) {

    public UpstreamTransport(Class<? extends SocketChannel> socketChannel,
                             AddressResolverGroup<InetSocketAddress> resolver, SslContext tls) {
        this(socketChannel, resolver, tls, defaultTlsH2());
    }

    /** A TLS client context that trusts the JVM's default CAs; certificates are checked against the target's host name. */
    public static SslContext defaultTls() {
        return build(SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2"));
    }

    /** The same, offering only {@code h2} by ALPN (RFC 9113 §3.2): a pool with {@code protocol = "h2"} asked for it. */
    public static SslContext defaultTlsH2() {
        return build(SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2")
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2)));
    }

    private static SslContext build(SslContextBuilder builder) {
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the TLS client context: " + e.getMessage(), e);
        }
    }

    /**
     * A TLS handler for one connection to {@code host}: SNI set, and the certificate verified for
     * that name (RFC 2818 rules), so an https target can never be impersonated silently.
     */
    public SslHandler newTlsHandler(ByteBufAllocator alloc, String host, int port) {
        return newTlsHandler(tls, alloc, host, port);
    }

    /** The same for an HTTP/2 connection: ALPN asks for {@code h2}. */
    public SslHandler newH2TlsHandler(ByteBufAllocator alloc, String host, int port) {
        return newTlsHandler(tlsH2, alloc, host, port);
    }

    private static SslHandler newTlsHandler(SslContext context, ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        SSLParameters parameters = handler.engine().getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        handler.engine().setSSLParameters(parameters);
        return handler;
    }
}
