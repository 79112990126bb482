package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gateway.balancer.CircuitBreaker;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Target;
import dev.gateway.testkit.Eventually;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of stalled clients and hundreds of slow readers beside normal traffic: normal requests
 * keep succeeding, the attackers are closed by the time limits, no breaker opens, and memory stays
 * bounded. Prints the p99 of normal requests with and without the attack (a measurement, not an
 * assertion: this machine is shared).
 */
class HostileLoadTest {

    private static final int STALLED = 2_000;
    private static final int SLOW_READERS = 200;

    @TempDir
    Path dir;

    @Test
    void normalTrafficIsServedWhileStalledClientsAndSlowReadersAreShedByTheirTimeouts() throws Exception {
        long fds = maxFileDescriptors();
        // every attacker costs a descriptor on each side, in this one JVM, plus the test's own
        assumeTrue(fds < 0 || fds >= 4 * (STALLED + SLOW_READERS),
                "needs " + 4 * (STALLED + SLOW_READERS) + " file descriptors, the limit is " + fds);
        Files.createDirectories(dir.resolve("site"));
        Files.write(dir.resolve("site/big.bin"), new byte[4 * 1024 * 1024]);
        try (TestBackend one = TestBackend.start(() -> BackendHandlers.ok("up"));
             TestBackend two = TestBackend.start(() -> BackendHandlers.ok("up"));
             GatewayFixture gateway = GatewayFixture.start(dir,
                     "body_timeout = \"3s\"\nsend_timeout = \"3s\"\nheader_timeout = \"3s\"\n",
                     "[static]\nroot = \"site\"\n"
                             + "[[routes]]\nname = \"api\"\npath = \"/api/*\"\nupstream = \"api\"\ntimeout = \"1s\"\n"
                             + "[upstreams.api]\ntargets = [\"" + one.url() + "\", \"" + two.url() + "\"]\n"
                             + HostileClientsTest.TOUCHY_BREAKER)) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", gateway.port());
            normalTraffic(gateway, 4, 400); // warm-up: the JIT compiles the request path
            List<Long> quiet = normalTraffic(gateway, 4, 400);

            long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            List<SocketChannel> attackers = new ArrayList<>();
            for (int i = 0; i < STALLED; i++) {
                String path = i % 2 == 0 ? "/api/upload" : "/";
                attackers.add(open(address, "POST " + path + " HTTP/1.1\r\nHost: gateway.test\r\n"
                        + "Content-Length: 100000\r\n\r\n0123456789", 0));
            }
            for (int i = 0; i < SLOW_READERS; i++) {
                attackers.add(open(address, "GET /big.bin HTTP/1.1\r\nHost: gateway.test\r\n\r\n", 4096));
            }
            List<Long> underAttack = normalTraffic(gateway, 4, 400);
            long directDuring = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();

            Eventually.await("every attacker closed by body_timeout or send_timeout", Duration.ofSeconds(60),
                    () -> gateway.server.openConnections() == 0);
            Pool pool = gateway.server.pools().get("api");
            for (Target target : pool.targets()) {
                assertThat(pool.breaker(target).state()).isEqualTo(CircuitBreaker.State.CLOSED);
                assertThat(target.stats().failures()).isZero();
            }
            assertThat(directDuring - directBefore).as("direct memory held for 2,200 attackers")
                    .isLessThan(64L * 1024 * 1024);
            for (SocketChannel attacker : attackers) {
                attacker.close();
            }
            System.out.printf("normal requests: p50 %.2f ms, p99 %.2f ms without attackers; p50 %.2f ms, p99 %.2f ms"
                    + " beside %d stalled bodies and %d slow readers; direct memory +%d KiB%n",
                    percentile(quiet, 50), percentile(quiet, 99), percentile(underAttack, 50),
                    percentile(underAttack, 99), STALLED, SLOW_READERS, (directDuring - directBefore) / 1024);
        }
    }

    /** {@code clients} keep-alive connections, each sending {@code requests} GETs; every one must be a 200. */
    private static List<Long> normalTraffic(GatewayFixture gateway, int clients, int requests) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                try (RawConnection connection = gateway.raw()) {
                    for (int i = 0; i < requests; i++) {
                        long start = System.nanoTime();
                        connection.send("GET /api/normal HTTP/1.1\r\nHost: gateway.test\r\n\r\n");
                        RawConnection.Response response = connection.read();
                        latencies.add(System.nanoTime() - start);
                        if (response.status() != 200) {
                            failures.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(120_000);
        }
        assertThat(failures.get()).as("normal requests that failed").isZero();
        assertThat(latencies).hasSize(clients * requests);
        return new ArrayList<>(latencies);
    }

    private static SocketChannel open(InetSocketAddress address, String request, int receiveBuffer) throws IOException {
        SocketChannel channel = SocketChannel.open();
        if (receiveBuffer > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
        }
        channel.connect(address);
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        return channel;
    }

    private static double percentile(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
    }

    private static long maxFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean) {
            return ((com.sun.management.UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount();
        }
        return -1;
    }
}
