package dev.gateway.core.listener;

import dev.gateway.config.ServerConfig;
import dev.gateway.core.http.ClientPipeline;
import dev.gateway.core.http.ServerRuntime;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * Builds the pipeline of each accepted client connection on the traffic listener, after admitting it
 * against {@code max_connections}:
 * <ul>
 *   <li>TLS with HTTP/2 offered: the protocol ALPN chose (RFC 7301) decides between an HTTP/2
 *       connection and HTTP/1.1 ({@link AlpnSwitch});</li>
 *   <li>cleartext with {@code h2c}: HTTP/1.1 handlers, replaced by HTTP/2 ones when the connection
 *       starts with the HTTP/2 preface (prior knowledge, RFC 9113 §3.3; {@link H2cPrefaceSwitch});</li>
 *   <li>otherwise HTTP/1.1.</li>
 * </ul>
 * Either way every request then runs through the same lifecycle ({@link ClientPipeline}).
 */
public final class ClientInitializer extends ChannelInitializer<SocketChannel> {

    private final ServerRuntime runtime;
    private final ConnectionLimiter limiter;
    private final SslContext tls;
    private final Http2Connections http2;

    public ClientInitializer(ServerRuntime runtime, ConnectionLimiter limiter, SslContext tls) {
        this.runtime = runtime;
        this.limiter = limiter;
        this.tls = tls;
        this.http2 = new Http2Connections(runtime);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!limiter.tryAdmit(ch)) {
            ch.close();
            return;
        }
        ServerConfig server = runtime.snapshot().server();
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            SslHandler handler = tls.newHandler(ch.alloc());
            handler.setHandshakeTimeoutMillis(server.headerTimeout().toMillis()); // no request limit runs before it
            p.addLast(ClientPipeline.TLS, handler);
            if (server.http2().enabled()) {
                p.addLast(ClientPipeline.PROTOCOL, new AlpnSwitch(this));
                return;
            }
            ClientPipeline.addHttp1(p, runtime, true);
            return;
        }
        if (server.http2().cleartext()) {
            p.addLast(ClientPipeline.PROTOCOL, new H2cPrefaceSwitch(this));
        }
        ClientPipeline.addHttp1(p, runtime, false);
    }

    void http1(ChannelPipeline p, boolean tls) {
        ClientPipeline.addHttp1(p, runtime, tls);
    }

    void http2(ChannelPipeline p) {
        http2.configure(p);
    }
}
