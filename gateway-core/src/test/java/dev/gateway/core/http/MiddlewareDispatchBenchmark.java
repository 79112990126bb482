package dev.gateway.core.http;

import dev.gateway.config.GatewayConfig;
import dev.gateway.config.load.ConfigLoader;
import dev.gateway.core.protocol.ErrorResponses;
import dev.gateway.core.routing.RoutingSnapshot;
import dev.gateway.proxy.Forwarder;
import dev.gateway.proxy.upstream.UpstreamTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One whole request through the real client pipeline (codec, tracker, read gate, handler,
 * dispatcher) on an {@link EmbeddedChannel}, answered by a redirect route so no network is
 * involved, with the route's middleware varied: {@code none} (no middleware keys: the route has no
 * chain at all and takes the path it took before middleware existed), {@code access} (an allow
 * list the client is in), {@code cors} (a CORS policy and an allowed Origin), {@code all} (both,
 * plus {@code compress = true}: a compressor is put in and taken out of the pipeline, though the
 * tiny redirect body is not worth compressing). {@code none} against the others shows what routes
 * that use no middleware pay for the feature: nothing but one null check. Run by
 * scripts/microbench.sh MiddlewareDispatchBenchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MiddlewareDispatchBenchmark {

    static final String REQUEST = "GET /r HTTP/1.1\r\nHost: example.com\r\nOrigin: https://app.example.com\r\n"
            + "Accept-Encoding: gzip, br\r\nUser-Agent: bench\r\n\r\n";

    @Param({"none", "access", "cors", "all"})
    public String middleware;

    private EmbeddedChannel channel;
    private ByteBuf request;

    /** An embedded client connection from 10.1.2.3. */
    static final class ClientChannel extends EmbeddedChannel {
        ClientChannel(ChannelInitializer<Channel> init) {
            super(init);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("10.1.2.3", 40000);
        }
    }

    static String routeKeys(String middleware) {
        return switch (middleware) {
            case "none" -> "";
            case "access" -> "allow = [\"10.0.0.0/8\"]\n";
            case "cors" -> "cors = { origins = [\"https://app.example.com\"] }\n";
            case "all" -> "allow = [\"10.0.0.0/8\"]\ncors = { origins = [\"https://app.example.com\"] }\ncompress = true\n";
            default -> throw new IllegalArgumentException("middleware: " + middleware + " (expected none, access, cors, all)");
        };
    }

    /** A client connection of a gateway whose only route, /r, redirects with {@code middleware}. */
    static EmbeddedChannel connection(String middleware) throws Exception {
        Path dir = Files.createTempDirectory("middleware-bench");
        Path file = dir.resolve("app_config.toml");
        Files.writeString(file, "[server]\nlisten = \"127.0.0.1:0\"\n[logging]\naccess_log = \"off\"\n"
                + "[[routes]]\npath = \"/r\"\nredirect = \"/elsewhere\"\n" + routeKeys(middleware));
        GatewayConfig config = ConfigLoader.load(file, Map.of());
        Forwarder forwarder = new Forwarder(new UpstreamTransport(NioSocketChannel.class,
                DefaultAddressResolverGroup.INSTANCE), List.of());
        ServerRuntime runtime = new ServerRuntime(RoutingSnapshot.build(config, ErrorResponses::forRequest),
                exchange -> { }, forwarder, false);
        return new ClientChannel(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ClientPipeline.addHttp1(ch.pipeline(), runtime, false);
            }
        });
    }

    /** Sends one request and drops the response; returns the response's first bytes' status digit. */
    static int exchange(EmbeddedChannel channel, ByteBuf request) {
        channel.writeInbound(request.retainedDuplicate());
        int first = -1;
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            if (first < 0 && out instanceof ByteBuf && ((ByteBuf) out).readableBytes() > 9) {
                first = ((ByteBuf) out).getByte(9) - '0';
            }
            ReferenceCountUtil.release(out);
        }
        return first;
    }

    @Setup
    public void setUp() throws Exception {
        channel = connection(middleware);
        request = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(REQUEST, StandardCharsets.US_ASCII));
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int dispatch() {
        int status = exchange(channel, request);
        channel.runPendingTasks();
        return status;
    }
}
