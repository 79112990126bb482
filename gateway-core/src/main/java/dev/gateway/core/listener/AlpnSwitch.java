package dev.gateway.core.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * Once the TLS handshake is done, builds the rest of the pipeline for the protocol the client and
 * the gateway agreed on by ALPN (RFC 7301): HTTP/2 for {@code h2}, else HTTP/1.1, which is also what
 * a client that offered nothing gets. Removes itself after.
 */
final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {

    private final ClientInitializer pipelines;

    AlpnSwitch(ClientInitializer pipelines) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.pipelines = pipelines;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            pipelines.http2(ctx.pipeline());
        } else {
            pipelines.http1(ctx.pipeline(), true);
            ctx.fireChannelActive(); // the HTTP/1.1 handlers added after this one start their idle limit on it
        }
    }
}
