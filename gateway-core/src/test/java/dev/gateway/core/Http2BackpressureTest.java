package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.testkit.Eventually;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 flow control is backpressure, both ways, per stream: a client uploading to a target that
 * does not read gets no more window than the target takes; a client that does not read its
 * response stops the gateway reading from the target; and neither stalls another stream on the
 * same connection.
 */
class Http2BackpressureTest {

    private static final long BIG = 64L * 1024 * 1024;
    /** What may sit between client and target: windows, buffers and the kernel's socket buffers. */
    private static final long IN_FLIGHT_BOUND = 24L * 1024 * 1024;
    private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private GatewayFixture gateway(TestBackend backend) throws Exception {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/small.txt"), "small");
        // a 1 MiB stream window: the upload moves in fewer round trips, so a busy machine is not too slow for the limits
        return GatewayFixture.start(dir, "h2c = true\nhttp2_stream_window = \"1MiB\"\n", "[static]\nroot = \"public\"\n"
                + "[[routes]]\npath = \"/api/*\"\ntargets = [\"" + backend.url() + "\"]\n");
    }

    @Test
    void anUploadGetsNoMoreWindowThanTheTargetTakes() throws Exception {
        List<Channel> paused = new CopyOnWriteArrayList<>();
        AtomicLong received = new AtomicLong();
        try (TestBackend backend = TestBackend.start(() -> new SlowReader(paused, received));
             GatewayFixture gateway = gateway(backend);
             FlowControlledClient client = new FlowControlledClient(gateway.port(), 1 << 20)) {
            client.request(1, client.h2.block("POST", "/api/upload", "content-length", Long.toString(BIG)), false);
            Thread upload = client.uploadInBackground(1, BIG);

            Eventually.await("the target has the request and reads no more", LIMIT, () -> !paused.isEmpty());
            AtomicLong lastSent = new AtomicLong(-1);
            Eventually.await("the upload stalls on its window", LIMIT,
                    () -> client.waitingForWindow && lastSent.getAndSet(client.sent.get()) == client.sent.get());
            assertThat(client.sent.get()).as("bytes the gateway let in while the target read none")
                    .isLessThan(IN_FLIGHT_BOUND);

            client.request(3, client.h2.block("GET", "/small.txt"), true);
            Eventually.await("another stream on the connection is served", LIMIT, () -> client.ended.containsKey(3));
            assertThat(client.bodies.get(3).toString()).isEqualTo("small");

            paused.forEach(ch -> ch.config().setAutoRead(true));
            upload.join(LIMIT.toMillis());
            Eventually.await("the whole upload reached the target and was answered", LIMIT, () -> client.ended.containsKey(1));
            assertThat(client.bodies.get(1).toString()).isEqualTo("got " + BIG);
            assertThat(received.get()).isEqualTo(BIG);
        }
    }

    @Test
    void aClientThatDoesNotReadStopsTheGatewayReadingFromTheTarget() throws Exception {
        AtomicLong written = new AtomicLong();
        try (TestBackend backend = TestBackend.start(() -> new BigWriter(written));
             GatewayFixture gateway = gateway(backend);
             FlowControlledClient client = new FlowControlledClient(gateway.port(), 16 * 1024)) {
            client.request(1, client.h2.block("GET", "/api/big"), true);

            AtomicLong lastWritten = new AtomicLong(-1);
            Eventually.await("the target's writes stall", LIMIT,
                    () -> lastWritten.getAndSet(written.get()) == written.get() && written.get() > 0);
            assertThat(written.get()).as("bytes taken from the target while the client read none")
                    .isLessThan(IN_FLIGHT_BOUND);

            client.request(3, client.h2.block("GET", "/small.txt"), true);
            Eventually.await("another stream on the connection is served", LIMIT, () -> client.ended.containsKey(3));

            client.readFreely(1);
            Eventually.await("the whole response arrived", LIMIT, () -> client.ended.containsKey(1));
            assertThat(client.received.get(1).get()).isEqualTo(BIG);
        }
    }

    /** A target that takes requests but reads bodies only once the test turns autoRead back on. */
    private static final class SlowReader extends ChannelInboundHandlerAdapter {
        private final List<Channel> paused;
        private final AtomicLong received;

        SlowReader(List<Channel> paused, AtomicLong received) {
            this.paused = paused;
            this.received = received;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                ctx.channel().config().setAutoRead(false);
                paused.add(ctx.channel());
            }
            if (msg instanceof HttpContent) {
                received.addAndGet(((HttpContent) msg).content().readableBytes());
            }
            if (msg instanceof LastHttpContent) {
                ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.OK, "got " + received.get()));
            }
            ReferenceCountUtil.release(msg);
        }
    }

    /** A target that writes a {@value #BIG}-byte response as fast as its connection takes it. */
    private static final class BigWriter extends ChannelInboundHandlerAdapter {
        private final AtomicLong written;
        private long remaining;

        BigWriter(AtomicLong written) {
            this.written = written;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof LastHttpContent) {
                DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_LENGTH, BIG);
                ctx.write(head);
                remaining = BIG;
                pump(ctx);
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        private void pump(ChannelHandlerContext ctx) {
            while (remaining > 0 && ctx.channel().isWritable()) {
                int size = (int) Math.min(64 * 1024, remaining);
                remaining -= size;
                Object chunk = remaining == 0 ? new io.netty.handler.codec.http.DefaultLastHttpContent(ctx.alloc().buffer(size).writeZero(size))
                        : new DefaultHttpContent(ctx.alloc().buffer(size).writeZero(size));
                ctx.writeAndFlush(chunk).addListener(f -> {
                    if (f.isSuccess()) {
                        written.addAndGet(size);
                    }
                });
            }
        }
    }

    /**
     * A raw HTTP/2 client that keeps count of its send windows: one thread reads frames (window
     * updates, responses), the test or an upload thread writes.
     */
    private static final class FlowControlledClient implements AutoCloseable {
        final RawH2 h2;
        final AtomicLong connectionWindow = new AtomicLong(65_535);
        final Map<Integer, AtomicLong> streamWindows = new ConcurrentHashMap<>();
        final Map<Integer, StringBuilder> bodies = new ConcurrentHashMap<>();
        final Map<Integer, AtomicLong> received = new ConcurrentHashMap<>();
        final Map<Integer, Boolean> ended = new ConcurrentHashMap<>();
        final AtomicLong sent = new AtomicLong();
        volatile boolean waitingForWindow;
        volatile long initialStreamWindow = 65_535;
        private volatile int readFreely;
        private final Thread reader;
        private final Object windowChanged = new Object();

        FlowControlledClient(int port, int ownStreamWindow) throws IOException {
            h2 = new RawH2(port);
            h2.timeout(0);
            synchronized (h2) {
                h2.preface(SETTINGS_INITIAL_WINDOW_SIZE, ownStreamWindow).windowUpdate(0, 1 << 30).flush();
            }
            reader = new Thread(this::readFrames, "h2-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        void request(int stream, byte[] block, boolean endStream) throws IOException {
            streamWindows.computeIfAbsent(stream, s -> new AtomicLong(initialStreamWindow));
            synchronized (h2) {
                h2.headers(stream, block, endStream).flush();
            }
        }

        /** From now on every DATA byte received on {@code stream} is given back at once. */
        void readFreely(int stream) throws IOException {
            readFreely = stream;
            long pending = received.getOrDefault(stream, new AtomicLong()).get();
            synchronized (h2) {
                h2.windowUpdate(stream, (int) Math.max(1, pending)).flush();
            }
        }

        Thread uploadInBackground(int stream, long total) {
            Thread thread = new Thread(() -> {
                byte[] chunk = new byte[16 * 1024];
                try {
                    while (sent.get() < total) {
                        AtomicLong window = streamWindows.get(stream);
                        int size = (int) Math.min(chunk.length, Math.min(total - sent.get(),
                                Math.min(window.get(), connectionWindow.get())));
                        if (size <= 0) {
                            waitingForWindow = true;
                            synchronized (windowChanged) {
                                windowChanged.wait(50); // the reader notifies on every WINDOW_UPDATE
                            }
                            continue;
                        }
                        waitingForWindow = false;
                        window.addAndGet(-size);
                        connectionWindow.addAndGet(-size);
                        boolean last = sent.addAndGet(size) == total;
                        synchronized (h2) {
                            h2.data(stream, size == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, size), last).flush();
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // the test's assertions report what is missing
                }
            }, "h2-test-upload");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        private void readFrames() {
            try {
                for (RawH2.Frame frame = h2.read(); frame != null; frame = h2.read()) {
                    if (frame.type() == RawH2.SETTINGS && (frame.flags() & RawH2.ACK) == 0) {
                        // acknowledged first: the server applies its new stream window only then
                        synchronized (h2) {
                            h2.frame(RawH2.SETTINGS, RawH2.ACK, 0, new byte[0]).flush();
                        }
                        int window = frame.setting(SETTINGS_INITIAL_WINDOW_SIZE);
                        if (window > 0) {
                            initialStreamWindow = window;
                            streamWindows.values().forEach(w -> w.addAndGet(window - 65_535));
                        }
                    } else if (frame.type() == RawH2.WINDOW_UPDATE) {
                        long increment = java.nio.ByteBuffer.wrap(frame.payload()).getInt() & 0x7fffffff;
                        (frame.stream() == 0 ? connectionWindow
                                : streamWindows.computeIfAbsent(frame.stream(), s -> new AtomicLong(initialStreamWindow)))
                                .addAndGet(increment);
                        synchronized (windowChanged) {
                            windowChanged.notifyAll();
                        }
                    } else if (frame.type() == RawH2.DATA) {
                        bodies.computeIfAbsent(frame.stream(), s -> new StringBuilder())
                                .append(frame.payload().length < 64 ? new String(frame.payload(), StandardCharsets.UTF_8) : "");
                        received.computeIfAbsent(frame.stream(), s -> new AtomicLong()).addAndGet(frame.payload().length);
                        if (frame.stream() == readFreely && frame.payload().length > 0) {
                            synchronized (h2) {
                                h2.windowUpdate(frame.stream(), frame.payload().length).flush();
                            }
                        }
                    }
                    if ((frame.type() == RawH2.DATA || frame.type() == RawH2.HEADERS) && (frame.flags() & RawH2.END_STREAM) != 0) {
                        bodies.computeIfAbsent(frame.stream(), s -> new StringBuilder());
                        ended.put(frame.stream(), true);
                    }
                }
            } catch (IOException e) {
                // closed: the test's assertions report what is missing
            }
        }

        @Override
        public void close() throws IOException {
            h2.close();
        }
    }
}
