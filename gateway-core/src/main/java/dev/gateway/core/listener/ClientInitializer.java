package dev.gateway.core.listener;

import dev.gateway.config.ServerConfig;
import dev.gateway.core.http.ClientPipeline;
import dev.gateway.core.http.ServerRuntime;
import dev.gateway.core.tls.ServerTls;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import java.util.List;

/**
 * Builds the pipeline of each accepted client connection on the traffic listener, after admitting it
 * against {@code max_connections}:
 * <ul>
 *   <li>TLS: the certificate is picked by SNI ({@link ServerTls}), then the protocol ALPN chose
 *       (RFC 7301) decides between an HTTP/2 connection and HTTP/1.1 ({@link AlpnSwitch}); the
 *       handshake, ClientHello included, must be done within {@code header_timeout};</li>
 *   <li>cleartext with {@code h2c}: HTTP/1.1 handlers, replaced by HTTP/2 ones when the connection
 *       starts with the HTTP/2 preface (prior knowledge, RFC 9113 §3.3; {@link H2cPrefaceSwitch});</li>
 *   <li>otherwise HTTP/1.1.</li>
 * </ul>
 * Either way every request then runs through the same lifecycle ({@link ClientPipeline}).
 */
public final class ClientInitializer extends ChannelInitializer<SocketChannel> {

    /** What this pipeline speaks after TLS, for ALPN: {@code [server] http2 = false} leaves out h2. */
    public static final List<String> PROTOCOLS = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private final ServerRuntime runtime;
    private final ConnectionLimiter limiter;
    private final ServerTls tls;
    private final Http2Connections http2;

    /** @param tls the main listener's TLS, or null for plain HTTP */
    public ClientInitializer(ServerRuntime runtime, ConnectionLimiter limiter, ServerTls tls) {
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
            p.addLast(ClientPipeline.TLS, tls.newHandler(ch));
            // no request limit runs before the protocol is known: a client that never finishes the handshake is closed
            p.addLast(ClientPipeline.HANDSHAKE_TIMEOUT, new HandshakeTimeout(server.headerTimeout()));
            p.addLast(ClientPipeline.PROTOCOL, new AlpnSwitch(this));
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
