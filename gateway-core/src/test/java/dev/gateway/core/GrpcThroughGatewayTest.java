package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gateway.balancer.targets.Target;
import dev.gateway.testkit.Eventually;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC through the gateway with grpc-java on both sides: every call kind, deadlines and
 * cancellation passing through, gRPC-shaped errors for what the gateway itself refuses, TLS with
 * ALPN on both hops, and {@code type = "grpc"} health checks.
 */
class GrpcThroughGatewayTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        TestTrustStore.reset();
    }

    private static String upstream(String protocol, String url, String extra) {
        return "[upstreams.grpc]\nprotocol = \"" + protocol + "\"\ntargets = [\"" + url + "\"]\n" + extra;
    }

    private static String route(String path, String keys) {
        return "[[routes]]\npath = \"" + path + "\"\nupstream = \"grpc\"\n" + keys;
    }

    private ManagedChannel plaintext(GatewayFixture gateway) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", gateway.port(),
                InsecureChannelCredentials.create()).build();
        channels.add(channel);
        return channel;
    }

    private static CallOptions within(int seconds) {
        return CallOptions.DEFAULT.withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    private static Status.Code codeOf(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void everyCallKindPassesThroughH2cBothWays() throws Exception {
        try (GrpcEcho echo = GrpcEcho.start();
             GatewayFixture gateway = GatewayFixture.start(dir, "h2c = true\n",
                     route("/test.Echo/*", "") + upstream("h2c", "http://127.0.0.1:" + echo.port(), ""))) {
            ManagedChannel channel = plaintext(gateway);

            assertThat(ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY, within(30), "hi")).isEqualTo("echo:hi");
            String big = "x".repeat(3 * 1024 * 1024);
            assertThat(ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY, within(30), big)).isEqualTo("echo:" + big);

            Iterator<String> parts = ClientCalls.blockingServerStreamingCall(channel, GrpcEcho.SPLIT, within(30), "a,b,c");
            List<String> received = new ArrayList<>();
            parts.forEachRemaining(received::add);
            assertThat(received).containsExactly("a", "b", "c");

            CompletableFuture<String> joined = new CompletableFuture<>();
            StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(
                    channel.newCall(GrpcEcho.JOIN, within(30)), single(joined));
            requests.onNext("one");
            requests.onNext("two");
            requests.onNext("three");
            requests.onCompleted();
            assertThat(joined.get(30, TimeUnit.SECONDS)).isEqualTo("one+two+three");

            // Each answer arrives before the next request is sent: nothing is buffered on the way.
            BlockingQueue<String> answers = new LinkedBlockingQueue<>();
            CompletableFuture<Void> chatDone = new CompletableFuture<>();
            StreamObserver<String> chat = ClientCalls.asyncBidiStreamingCall(channel.newCall(GrpcEcho.CHAT, within(30)),
                    collecting(answers, chatDone));
            for (String word : List.of("ping", "pong", "done")) {
                chat.onNext(word);
                assertThat(answers.poll(30, TimeUnit.SECONDS)).isEqualTo(word.toUpperCase());
            }
            chat.onCompleted();
            chatDone.get(30, TimeUnit.SECONDS);

            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY, within(30), "fail"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).as("the target's own status, from its trailers")
                                .isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription()).isEqualTo("not you");
                    });
        }
    }

    @Test
    void deadlinesReachTheTargetAndACancelResetsTheUpstreamStream() throws Exception {
        try (GrpcEcho echo = GrpcEcho.start();
             GatewayFixture gateway = GatewayFixture.start(dir, "h2c = true\n",
                     route("/test.Echo/*", "") + upstream("h2c", "http://127.0.0.1:" + echo.port(), ""))) {
            ManagedChannel channel = plaintext(gateway);
            long remaining = Long.parseLong(ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY, within(20), "deadline?"));
            assertThat(remaining).as("grpc-timeout reached the target").isBetween(1L, 20_000L);

            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            ClientCall<String, String> call = channel.newCall(GrpcEcho.SPLIT, within(60));
            ClientCalls.asyncServerStreamingCall(call, "forever", collecting(received, new CompletableFuture<>()));
            assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("first");
            call.cancel("the user gave up", null);
            assertThat(echo.cancelled.await(30, TimeUnit.SECONDS)).as("the target saw the cancel").isTrue();
        }
    }

    @Test
    void aClientDeadlineEndsTheCallOnBothSides() throws Exception {
        try (GrpcEcho echo = GrpcEcho.start();
             GatewayFixture gateway = GatewayFixture.start(dir, "h2c = true\n",
                     route("/test.Echo/*", "") + upstream("h2c", "http://127.0.0.1:" + echo.port(), ""))) {
            ManagedChannel channel = plaintext(gateway);
            assertThat(codeOf(() -> ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY,
                    CallOptions.DEFAULT.withDeadlineAfter(300, TimeUnit.MILLISECONDS), "hang")))
                    .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(echo.cancelled.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void errorsTheGatewayProducesAreGrpcStatuses() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        try (GrpcEcho echo = GrpcEcho.start();
             GatewayFixture gateway = GatewayFixture.start(dir, "h2c = true\n",
                     route("/test.Echo/Unary", "timeout = \"300ms\"\nretries = 0\n")
                     + route("/test.Echo/Split", "rate_limit = { rate = 1, per = \"1h\", burst = 1 }\n")
                     + "[[routes]]\npath = \"/dead.Service/*\"\nupstream = \"dead\"\nretries = 0\n"
                     + "[upstreams.dead]\nprotocol = \"h2c\"\ntargets = [\"http://127.0.0.1:" + deadPort + "\"]\n"
                     + upstream("h2c", "http://127.0.0.1:" + echo.port(), ""))) {
            ManagedChannel channel = plaintext(gateway);

            assertThat(codeOf(() -> ClientCalls.blockingUnaryCall(channel, GrpcEcho.JOIN, within(30), "x")))
                    .as("no route").isEqualTo(Status.Code.UNIMPLEMENTED);
            assertThat(codeOf(() -> ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY, within(30), "hang")))
                    .as("the route timeout").isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            ClientCalls.blockingServerStreamingCall(channel, GrpcEcho.SPLIT, within(30), "a").forEachRemaining(part -> { });
            assertThat(codeOf(() -> ClientCalls.blockingServerStreamingCall(channel, GrpcEcho.SPLIT, within(30), "a")
                    .forEachRemaining(part -> { }))).as("over the rate limit").isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(codeOf(() -> ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY
                    .toBuilder().setFullMethodName("dead.Service/Call").build(), within(30), "x")))
                    .as("an unreachable target").isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void tlsWithAlpnOnBothHops() throws Exception {
        SelfSignedCertificate backendCert = new SelfSignedCertificate("localhost");
        TestCertificates.write(dir);
        try {
            TestTrustStore.trustOnly(backendCert.cert(), dir);
            try (GrpcEcho echo = GrpcEcho.start(TlsServerCredentials.create(backendCert.certificate(), backendCert.privateKey()));
                 GatewayFixture gateway = GatewayFixture.start(dir, TestCertificates.SERVER_TLS,
                         route("/test.Echo/*", "") + upstream("h2", "https://localhost:" + echo.port(), ""))) {
                ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", gateway.port(),
                        TlsChannelCredentials.newBuilder().trustManager(dir.resolve("server.crt").toFile()).build()).build();
                channels.add(channel);
                assertThat(ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY, within(30), "secure")).isEqualTo("echo:secure");
                List<String> parts = new ArrayList<>();
                ClientCalls.blockingServerStreamingCall(channel, GrpcEcho.SPLIT, within(30), "x,y").forEachRemaining(parts::add);
                assertThat(parts).containsExactly("x", "y");
            }
        } finally {
            backendCert.delete();
        }
    }

    @Test
    void grpcHealthChecksFollowTheHealthService() throws Exception {
        try (GrpcEcho echo = GrpcEcho.start();
             GatewayFixture gateway = GatewayFixture.start(dir, "h2c = true\n", route("/test.Echo/*", "retries = 0\n")
                     + upstream("h2c", "http://127.0.0.1:" + echo.port(), "[upstreams.grpc.health_check]\n"
                     + "type = \"grpc\"\nservice = \"test.Echo\"\ninterval = \"200ms\"\ntimeout = \"200ms\"\n"
                     + "healthy_threshold = 1\nunhealthy_threshold = 1\n"))) {
            Target target = gateway.server.pools().get("grpc").targets().get(0);
            ManagedChannel channel = plaintext(gateway);

            // A service the health service does not know is NOT_FOUND: unhealthy.
            Eventually.await("unknown service is unhealthy", LIMIT, () -> !target.isHealthy());
            assertThat(codeOf(() -> ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY, within(30), "x")))
                    .isEqualTo(Status.Code.UNAVAILABLE);

            echo.health.setStatus("test.Echo", ServingStatus.SERVING);
            Eventually.await("SERVING is healthy", LIMIT, target::isHealthy);
            assertThat(ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY, within(30), "x")).isEqualTo("echo:x");

            echo.health.setStatus("test.Echo", ServingStatus.NOT_SERVING);
            Eventually.await("NOT_SERVING is unhealthy", LIMIT, () -> !target.isHealthy());
        }
    }

    private static StreamObserver<String> single(CompletableFuture<String> result) {
        return new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static StreamObserver<String> collecting(BlockingQueue<String> into, CompletableFuture<Void> done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        };
    }
}
