package dev.gateway.proxy.upstream;

import dev.gateway.balancer.targets.Target;
import dev.gateway.config.UpstreamConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;

/**
 * HTTP/2 to one target from one event loop: requests go as streams multiplexed over a few
 * connections, opened as needed. A new stream goes to a connection with room under the target's
 * {@code SETTINGS_MAX_CONCURRENT_STREAMS} that has not received a GOAWAY; when none has room,
 * another connection is opened. Streams that a GOAWAY cut off, or that the target refused, are
 * reported as refused (retryable: RFC 9113 §8.7); streams it accepted finish on their connection,
 * which closes when the last one is done. Connections with no stream for {@code pool_idle_timeout}
 * are closed. {@code h2} asks for HTTP/2 by ALPN over TLS; {@code h2c} starts with the preface.
 */
public final class Http2Connections implements UpstreamConnections {

    /** The response body one stream may have in flight before the gateway has passed it on. */
    private static final int STREAM_WINDOW = 1024 * 1024;
    private static final int MAX_RESPONSE_HEADER = 64 * 1024;
    /**
     * Requests that wait for a connection still opening, before its target has said how many
     * streams it takes: the least RFC 9113 §6.5.2 recommends a server allow.
     */
    private static final int ASSUMED_STREAM_LIMIT = 100;

    private final EventLoop loop;
    private final Target target;
    private final UpstreamTransport transport;
    private final boolean tls;
    private final long idleTimeoutNanos;
    private final long connectTimeoutNanos;
    private final Bootstrap bootstrap;
    private final SocketAddress address;
    private final List<Connection> connections = new ArrayList<>(2);
    private boolean sweepScheduled;
    private boolean retired;

    public Http2Connections(EventLoop loop, Target target, UpstreamConfig config, UpstreamTransport transport) {
        this.loop = loop;
        this.target = target;
        this.transport = transport;
        this.tls = target.config().secure();
        this.idleTimeoutNanos = config.poolIdleTimeout().toNanos();
        this.connectTimeoutNanos = config.connectTimeout().toNanos();
        this.address = TargetAddress.of(target);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(transport.resolver())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (!tls) {
                            addHttp2(ch.pipeline());
                            return;
                        }
                        ch.pipeline().addLast(UpstreamPipeline.TLS, transport.newH2TlsHandler(ch.alloc(),
                                target.host(), target.port(), config.tls()));
                        ch.pipeline().addLast(UpstreamPipeline.ALPN, new AlpnH2());
                    }
                });
    }

    @Override
    public void acquire(boolean fresh, Acquirer acquirer) {
        if (!fresh) {
            for (Connection connection : connections) {
                if (connection.hasRoom()) {
                    connection.openStream(acquirer, true);
                    return;
                }
            }
            for (Connection connection : connections) {
                if (connection.settings == null && connection.waiting.size() < ASSUMED_STREAM_LIMIT) {
                    connection.waiting.add(acquirer);
                    return;
                }
            }
        }
        connect().waiting.add(acquirer);
    }

    /**
     * A new connection. It is ready for streams once the target's first SETTINGS arrived, so that
     * no stream is opened beyond its {@code SETTINGS_MAX_CONCURRENT_STREAMS}; a target that sends
     * none within {@code connect_timeout} (an HTTP/1.1 server, say) fails the requests waiting.
     */
    private Connection connect() {
        ChannelFuture connect = bootstrap.connect(address);
        Connection connection = new Connection(connect.channel());
        connections.add(connection);
        connect.channel().closeFuture().addListener(f -> connections.remove(connection));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                connection.ready.tryFailure(f.cause());
                return;
            }
            loop.schedule(() -> connection.ready.tryFailure(new ConnectTimeoutException(target.url()
                    + " sent no HTTP/2 SETTINGS within connect_timeout")), connectTimeoutNanos, TimeUnit.NANOSECONDS);
        });
        connection.ready.addListener(f -> {
            List<Acquirer> waiting = List.copyOf(connection.waiting);
            connection.waiting.clear();
            if (!f.isSuccess()) {
                connect.channel().close();
                waiting.forEach(acquirer -> acquirer.failed(f.cause()));
                return;
            }
            for (Acquirer acquirer : waiting) {
                if (connection.hasRoom()) {
                    connection.openStream(acquirer, false);
                } else {
                    acquire(false, acquirer); // the target takes fewer streams than were waiting
                }
            }
        });
        return connection;
    }

    /** The frame codec and multiplexer of a connection, once it speaks HTTP/2. */
    private void addHttp2(ChannelPipeline p) {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings()
                        .pushEnabled(false)
                        .initialWindowSize(STREAM_WINDOW)
                        .maxHeaderListSize(MAX_RESPONSE_HEADER))
                .validateHeaders(true)
                .build();
        p.addLast(UpstreamPipeline.H2_CODEC, codec);
        p.addLast(UpstreamPipeline.H2_MULTIPLEX, new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
        p.addLast(UpstreamPipeline.H2_CONNECTION, new ConnectionEnd(codec));
    }

    private Connection connectionOf(Channel channel) {
        for (Connection connection : connections) {
            if (connection.channel == channel) {
                return connection;
            }
        }
        return null;
    }

    @Override
    public void release(UpstreamHandler channel) {
        channel.detach();
        channel.channel().close(); // a finished stream is closed already; an unfinished one is reset
    }

    @Override
    public void remove(UpstreamHandler channel) {
        Connection connection = connectionOf(channel.channel().parent());
        if (connection != null && --connection.streams == 0) {
            connection.idleSince = System.nanoTime();
            if (retired || connection.settings.connection().goAwayReceived()) {
                connection.channel.close();
            } else {
                scheduleSweep();
            }
        }
    }

    @Override
    public void retire() {
        retired = true;
        closeAll();
    }

    @Override
    public void closeAll() {
        for (Connection connection : List.copyOf(connections)) {
            if (connection.streams == 0) {
                connection.channel.close();
            }
        }
    }

    private void scheduleSweep() {
        if (sweepScheduled) {
            return;
        }
        sweepScheduled = true;
        loop.schedule(this::sweep, Math.max(idleTimeoutNanos / 2, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
    }

    private void sweep() {
        sweepScheduled = false;
        long now = System.nanoTime();
        boolean idleLeft = false;
        for (Connection connection : List.copyOf(connections)) {
            if (connection.streams == 0 && connection.settings != null) {
                if (now - connection.idleSince >= idleTimeoutNanos) {
                    connection.channel.close();
                } else {
                    idleLeft = true;
                }
            }
        }
        if (idleLeft) {
            scheduleSweep();
        }
    }

    /** One HTTP/2 connection to the target and the streams this pool has open on it. */
    private final class Connection {
        final Channel channel;
        final Promise<Void> ready;
        final List<Acquirer> waiting = new ArrayList<>(1);
        /** The target's settings, once its first SETTINGS frame arrived: the connection is ready. */
        Http2FrameCodec settings;
        int streams;
        long idleSince = System.nanoTime();

        Connection(Channel channel) {
            this.channel = channel;
            this.ready = loop.newPromise();
            channel.closeFuture().addListener(f -> ready.tryFailure(new java.nio.channels.ClosedChannelException()));
        }

        boolean hasRoom() {
            return settings != null && channel.isActive() && !settings.connection().goAwayReceived()
                    && streams < settings.connection().local().maxActiveStreams();
        }

        void openStream(Acquirer acquirer, boolean reused) {
            streams++;
            new Http2StreamChannelBootstrap(channel).handler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel stream) {
                    stream.pipeline().addLast(UpstreamPipeline.HTTP_CODEC, new Http2StreamFrameToHttpObjectCodec(false));
                    stream.pipeline().addLast(UpstreamPipeline.HANDLER, new UpstreamHandler(Http2Connections.this));
                }
            }).open().addListener(f -> {
                if (f.isSuccess()) {
                    Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
                    acquirer.acquired((UpstreamHandler) stream.pipeline().get(UpstreamPipeline.HANDLER), reused);
                } else {
                    streams--;
                    acquirer.failed(f.cause());
                }
            });
        }
    }

    /** Waits for the TLS handshake; HTTP/2 only when ALPN chose {@code h2}, else the connection fails. */
    private final class AlpnH2 extends ApplicationProtocolNegotiationHandler {

        AlpnH2() {
            super("none");
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            Connection connection = connectionOf(ctx.channel());
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                addHttp2(ctx.pipeline());
                return;
            }
            if (connection != null) {
                connection.ready.tryFailure(new SSLHandshakeException(target.url() + " did not agree to h2 by ALPN (it offered "
                        + protocol + ")"));
            }
            ctx.close();
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            Connection connection = connectionOf(ctx.channel());
            if (connection != null) {
                connection.ready.tryFailure(cause);
            }
            ctx.close();
        }
    }

    /**
     * The end of a connection's pipeline: the target's first SETTINGS makes the connection ready;
     * other frames the multiplexer passes on (GOAWAY, later SETTINGS) are dropped here.
     */
    private final class ConnectionEnd extends ChannelInboundHandlerAdapter {
        private final Http2FrameCodec codec;

        ConnectionEnd(Http2FrameCodec codec) {
            this.codec = codec;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2SettingsFrame) {
                Connection connection = connectionOf(ctx.channel());
                if (connection != null && connection.settings == null) {
                    connection.settings = codec;
                    connection.ready.trySuccess(null);
                }
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
