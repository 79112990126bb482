package dev.gateway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gateway.config.CertificateFiles;
import dev.gateway.config.TlsConfig;
import dev.gateway.testkit.ExternalCommands;
import dev.gateway.testkit.TestPki;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's own session ticket keys (OpenSSL engine): a ticket still resumes after one
 * rotation (the previous key decrypts) and no longer after two (it is gone). Seen by
 * {@code openssl s_client -sess_out / -sess_in}; skipped without it or without OpenSSL.
 */
class SessionTicketRotationTest {

    @TempDir
    Path dir;

    @Test
    void aTicketSurvivesOneRotationButNotTwo() throws Exception {
        assumeTrue(ExternalCommands.onPath("openssl"), "the openssl command is not installed");
        assumeTrue(OpenSsl.isAvailable(), "OpenSSL does not load here");
        TestPki.ca("ca").server("api.example.com").write(dir, "api");
        TlsConfig config = new TlsConfig(Optional.of(new CertificateFiles(dir.resolve("api.crt"), dir.resolve("api.key"),
                "server.tls")), List.of(), Optional.empty(), TlsConfig.Provider.OPENSSL, "TLSv1.2",
                TlsConfig.INTERMEDIATE_CIPHERS, TlsConfig.ClientAuth.NONE, Optional.empty());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ServerTls tls = new ServerTls(config, false, List.of("http/1.1"), false)) {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch)).addLast(new AnswerAndClose());
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try {
                assertThat(sClient(port, "-sess_out")).contains("New, TLSv1.3");
                tls.rotateTicketKeys();
                assertThat(sClient(port, "-sess_in")).contains("Reused, TLSv1.3");
                tls.rotateTicketKeys();
                tls.rotateTicketKeys();
                assertThat(sClient(port, "-sess_in")).contains("New, TLSv1.3");
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Answers whatever arrives with an empty response and closes: the ticket is sent before that. */
    private static final class AnswerAndClose extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
                    StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private String sClient(int port, String sessionOption) throws Exception {
        Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                "api.example.com", "-ign_eof", sessionOption, dir.resolve("session.pem").toString())
                .redirectErrorStream(true).start();
        process.getOutputStream().write("GET / HTTP/1.1\r\nHost: api.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
