package dev.gateway.core;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real grpc-java server on port 0 with a service of every call kind, whose messages are plain
 * UTF-8 strings (no protobuf code generation needed), and the standard health service.
 * <ul>
 *   <li>{@code test.Echo/Unary}: "echo:" + the request; "deadline?" answers the deadline the server
 *       saw; "hang" never answers (until cancelled); "fail" answers PERMISSION_DENIED from the target</li>
 *   <li>{@code test.Echo/Split}: server streaming, one message per comma-separated part; "forever"
 *       sends one message and then waits to be cancelled</li>
 *   <li>{@code test.Echo/Join}: client streaming, the requests joined with "+"</li>
 *   <li>{@code test.Echo/Chat}: bidirectional, each request answered upper-cased as it comes</li>
 * </ul>
 */
final class GrpcEcho implements AutoCloseable {

    static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<String, String> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<String, String> SPLIT = method("Split", MethodDescriptor.MethodType.SERVER_STREAMING);
    static final MethodDescriptor<String, String> JOIN = method("Join", MethodDescriptor.MethodType.CLIENT_STREAMING);
    static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);

    /** Counted down when the server sees a call cancelled: the gateway passed the client's cancel on. */
    final CountDownLatch cancelled = new CountDownLatch(1);
    final HealthStatusManager health = new HealthStatusManager();
    private final Server server;

    private GrpcEcho(ServerCredentials credentials) throws IOException {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("test.Echo")
                .addMethod(UNARY, ServerCalls.asyncUnaryCall(this::unary))
                .addMethod(SPLIT, ServerCalls.asyncServerStreamingCall(this::split))
                .addMethod(JOIN, ServerCalls.asyncClientStreamingCall(this::join))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(GrpcEcho::chat))
                .build();
        this.server = Grpc.newServerBuilderForPort(0, credentials)
                .addService(echo)
                .addService(health.getHealthService())
                .build()
                .start();
    }

    /** A cleartext server: HTTP/2 with prior knowledge (the gateway's {@code protocol = "h2c"}). */
    static GrpcEcho start() throws IOException {
        return new GrpcEcho(InsecureServerCredentials.create());
    }

    /** A TLS server: HTTP/2 by ALPN (the gateway's {@code protocol = "h2"}). */
    static GrpcEcho start(ServerCredentials tls) throws IOException {
        return new GrpcEcho(tls);
    }

    int port() {
        return server.getPort();
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
                .setRequestMarshaller(UTF8)
                .setResponseMarshaller(UTF8)
                .build();
    }

    private void unary(String request, StreamObserver<String> out) {
        switch (request) {
            case "hang" -> onCancel(out);
            case "fail" -> out.onError(Status.PERMISSION_DENIED.withDescription("not you").asRuntimeException());
            case "deadline?" -> {
                Deadline deadline = Context.current().getDeadline();
                out.onNext(deadline == null ? "none" : Long.toString(deadline.timeRemaining(TimeUnit.MILLISECONDS)));
                out.onCompleted();
            }
            default -> {
                out.onNext("echo:" + request);
                out.onCompleted();
            }
        }
    }

    private void split(String request, StreamObserver<String> out) {
        if (request.equals("forever")) {
            out.onNext("first");
            onCancel(out);
            return;
        }
        for (String part : request.split(",")) {
            out.onNext(part);
        }
        out.onCompleted();
    }

    private void onCancel(StreamObserver<String> out) {
        ((ServerCallStreamObserver<String>) out).setOnCancelHandler(cancelled::countDown);
    }

    private StreamObserver<String> join(StreamObserver<String> out) {
        StringBuilder joined = new StringBuilder();
        return new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                joined.append(joined.length() == 0 ? "" : "+").append(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                out.onNext(joined.toString());
                out.onCompleted();
            }
        };
    }

    private static StreamObserver<String> chat(StreamObserver<String> out) {
        return new StreamObserver<>() {
            @Override
            public void onNext(String value) {
                out.onNext(value.toUpperCase(Locale.ROOT));
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                out.onCompleted();
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
}
