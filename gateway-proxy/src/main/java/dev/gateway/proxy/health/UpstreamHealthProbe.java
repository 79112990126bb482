package dev.gateway.proxy.health;

import dev.gateway.balancer.health.HealthProbe;
import dev.gateway.balancer.targets.ProbeResult;
import dev.gateway.balancer.targets.Target;
import dev.gateway.config.HealthCheckConfig;
import dev.gateway.config.UpstreamConfig;
import dev.gateway.config.UpstreamTlsConfig;
import dev.gateway.proxy.upstream.UpstreamTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The active health checks of {@code [upstreams.NAME.health_check]} on Netty: each check opens its own connection (never
 * one of the request pool, so a check measures the target, not our pool), never blocks, and is
 * answered within {@code timeout} whatever the target does. {@code tcp} passes once connected,
 * {@code http} on a status in {@code expected_status}, {@code websocket} on a pong after the upgrade.
 *
 * <p>{@code http} and {@code websocket} checks of an {@code https://} target speak TLS exactly as
 * requests do (SNI, certificate verified for the target's host name), so a target whose certificate
 * requests would refuse is not reported healthy. {@code tcp} checks only connect.
 */
public final class UpstreamHealthProbe implements HealthProbe {

    /** "sun.security.validator.ValidatorException: " and the like, inside JDK messages */
    private static final Pattern EXCEPTION_CLASS = Pattern.compile("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");

    /**
     * Handler names of a probe connection's pipeline, in order: the one place they are spelled.
     * HTTP/1.1: [tls] -> httpCodec -> [aggregator] -> check; HTTP/2: [tls] -> h2Codec -> h2Multiplex
     * -> h2Stream, and on the one stream httpCodec -> check.
     */
    static final String TLS = "tls";
    static final String HTTP_CODEC = "httpCodec";
    static final String AGGREGATOR = "aggregator";
    static final String CHECK = "check";
    static final String H2_CODEC = "h2Codec";
    static final String H2_MULTIPLEX = "h2Multiplex";
    static final String H2_STREAM = "h2Stream";

    private final HealthCheckConfig config;
    private final UpstreamTlsConfig tls;
    private final EventLoopGroup group;
    private final UpstreamTransport transport;
    /** http checks speak HTTP/2 to an HTTP/2 pool; grpc checks always do */
    private final boolean http2;

    /** An HTTP/1.1 pool with the default {@code tls}. */
    public UpstreamHealthProbe(HealthCheckConfig config, EventLoopGroup group, UpstreamTransport transport) {
        this(config, UpstreamTlsConfig.DEFAULT, group, transport, UpstreamConfig.Protocol.HTTP1);
    }

    /**
     * @param tls the upstream's {@code tls} table: checks speak TLS exactly as its requests do
     * @param protocol how the pool reaches its targets: an http check of an HTTP/2 pool goes over HTTP/2
     */
    public UpstreamHealthProbe(HealthCheckConfig config, UpstreamTlsConfig tls, EventLoopGroup group,
                               UpstreamTransport transport, UpstreamConfig.Protocol protocol) {
        this.config = config;
        this.tls = tls;
        this.group = group;
        this.transport = transport;
        this.http2 = config.type() == HealthCheckConfig.Type.GRPC
                || config.type() == HealthCheckConfig.Type.HTTP && protocol != UpstreamConfig.Protocol.HTTP1;
    }

    @Override
    public void probe(Target target, Consumer<ProbeResult> done) {
        EventLoop loop = group.next();
        Check check = new Check(done);
        Consumer<ChannelPipeline> pipeline = http2 ? Http2Probe.pipeline(target, config, check) : switch (config.type()) {
            case TCP -> p -> { };
            case HTTP -> p -> p.addLast(HTTP_CODEC, new HttpClientCodec())
                    .addLast(CHECK, new HttpHealthHandler(target, config, check));
            case WEBSOCKET -> p -> p.addLast(HTTP_CODEC, new HttpClientCodec())
                    .addLast(AGGREGATOR, new HttpObjectAggregator(64 * 1024))
                    .addLast(CHECK, new WebSocketHealthHandler(target, config, check));
            case GRPC -> throw new IllegalStateException("grpc checks speak HTTP/2");
        };
        if (target.config().secure() && config.type() != HealthCheckConfig.Type.TCP) {
            pipeline = withTls(target, check, http2).andThen(pipeline);
        }
        long timeoutMillis = Math.max(1, config.timeout().toMillis());
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(transport.resolver())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer(pipeline))
                .connect(InetSocketAddress.createUnresolved(target.host(), target.port()));
        check.attach(connect.channel(), loop.schedule(
                () -> check.fail("timeout after " + config.timeout().toMillis() + "ms"), timeoutMillis, TimeUnit.MILLISECONDS));
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                check.fail(describe(f.cause()));
            } else if (config.type() == HealthCheckConfig.Type.TCP) {
                check.pass("connected");
            }
        });
    }

    /** A TLS handler first in the pipeline; a failed handshake fails the check with the JDK's reason. */
    private Consumer<ChannelPipeline> withTls(Target target, Check check, boolean h2) {
        return p -> {
            SslHandler handler = h2 ? transport.newH2TlsHandler(p.channel().alloc(), target.host(), target.port(), tls)
                    : transport.newTlsHandler(p.channel().alloc(), target.host(), target.port(), tls);
            handler.handshakeFuture().addListener(f -> {
                if (!f.isSuccess()) {
                    check.fail("TLS handshake failed: " + describeTls(f.cause()));
                }
            });
            p.addLast(TLS, handler);
        };
    }

    /**
     * The handshake's own reason without the JDK's nested class names, e.g. "PKIX path building
     * failed: unable to find valid certification path to requested target" or "No subject
     * alternative names present".
     */
    static String describeTls(Throwable cause) {
        Throwable ssl = cause;
        while (ssl != null && !(ssl instanceof SSLException)) {
            ssl = ssl.getCause();
        }
        if (ssl instanceof NotSslRecordException) {
            return "the target did not answer in TLS";
        }
        if (ssl == null || ssl.getMessage() == null) {
            return cause instanceof ClosedChannelException ? "connection closed" : describe(cause);
        }
        // The OpenSSL engine wraps what the trust manager said in a generic message.
        while (ssl.getMessage().startsWith("General OpenSslEngine problem") && ssl.getCause() != null
                && ssl.getCause().getMessage() != null) {
            ssl = ssl.getCause();
        }
        return EXCEPTION_CLASS.matcher(ssl.getMessage()).replaceAll("");
    }

    /** Short reasons for the operator's log line: "connect refused", "connect timeout", ... */
    static String describe(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect timeout";
        }
        if (cause instanceof ConnectException) {
            return "connect refused";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /** A probe connection's pipeline, set up by {@code setup} (one check, one connection). */
    private static ChannelInitializer<Channel> initializer(Consumer<ChannelPipeline> setup) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                setup.accept(ch.pipeline());
            }
        };
    }

    /** One check's result, reported once; reporting closes the check's connection and timer. */
    static final class Check {

        private final Consumer<ProbeResult> done;
        private final AtomicBoolean reported = new AtomicBoolean();
        private volatile Channel channel;
        private volatile ScheduledFuture<?> timer;

        Check(Consumer<ProbeResult> done) {
            this.done = done;
        }

        /** Called once the connect started; a check that already reported (on the loop) still cleans up. */
        void attach(Channel channel, ScheduledFuture<?> timer) {
            this.channel = channel;
            this.timer = timer;
            if (reported.get()) {
                timer.cancel(false);
                channel.close();
            }
        }

        void pass(String what) {
            report(ProbeResult.pass(what));
        }

        void fail(String reason) {
            report(ProbeResult.fail(reason));
        }

        private void report(ProbeResult result) {
            if (!reported.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            done.accept(result);
        }
    }
}
