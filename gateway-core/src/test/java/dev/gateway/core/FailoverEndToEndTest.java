package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.balancer.CircuitBreaker;
import dev.gateway.balancer.Pool;
import dev.gateway.balancer.targets.Target;
import dev.gateway.testkit.Eventually;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4 end to end: three backends behind one pool and a steady stream of GETs from several
 * clients; one backend is killed and later brought back on the same port, then all are killed.
 * Both ways a dead target is noticed are covered: its breaker tripping on failed requests
 * (passive, no health check) and active health checks (breakers disabled).
 *
 * <p>What the gateway guarantees, and what is asserted here:
 * <ul>
 *   <li>A GET whose attempt fails before a response byte reached the client is retried on a target
 *       it has not tried: one in flight on a keep-alive connection the dead target dropped gets a
 *       fresh connection elsewhere, a refused connect is retried without spending the retry budget.
 *       The only GETs that can still fail are those whose response was already being relayed when
 *       the target died (cut short, never completed); test backends write each response in one
 *       piece, so with one of three targets down clients see no failure at all.</li>
 *   <li>The dead target leaves the rotation: after {@code consecutive_failures} failed attempts
 *       (breaker) or {@code unhealthy_threshold} failed checks (health). While out it gets no request,
 *       even once reachable again: the backend is restarted while its breaker is still open or its
 *       /health still fails, and must see nothing.</li>
 *   <li>It gets traffic again once its half-open trials succeed or {@code healthy_threshold} checks pass.</li>
 *   <li>Every target out: 503 with Retry-After at once, from the gateway, not 502 and not a hang.
 *       (Before they are out, a request whose every attempt was refused is a 502, as docs/configuration.md says.)</li>
 * </ul>
 */
class FailoverEndToEndTest {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverEndToEndTest.class);
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int CLIENTS = 4;
    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;

    @TempDir
    Path dir;

    @Test
    void breakerTakesAKilledTargetOutWithoutClientFailuresAndLetsItBackWhenItReturns() throws Exception {
        try (Backends backends = Backends.start();
             GatewayFixture gateway = gateway(backends, ""
                     + "[upstreams.api.circuit_breaker]\n"
                     + "consecutive_failures = 3\n"
                     + "open_duration = \"4s\"\n"
                     + "max_open_duration = \"4s\"\n")) {
            Target b = target(gateway, B);
            CircuitBreaker breaker = breaker(gateway, B);
            SteadyGets load = SteadyGets.start(gateway.uri("/work"), CLIENTS);
            try {
                awaitEveryBackendServes(load);

                backends.kill(B);
                int atKill = load.completed();
                Eventually.await("b's breaker open", LIMIT, () -> breaker.state() == CircuitBreaker.State.OPEN);
                LOG.info("breaker tripped {} requests after the kill", load.completed() - atKill);

                // Within one open period, b gets no attempt: first while still dead (the gateway counts
                // its attempts), then once restarted on its port (b counts what reaches it).
                Eventually.await("b's breaker open for at least 2.5 s more", LIMIT, () ->
                        breaker.state() == CircuitBreaker.State.OPEN
                                && breaker.openUntilNanos() - System.nanoTime() > TimeUnit.MILLISECONDS.toNanos(2500));
                long openUntil = breaker.openUntilNanos();
                long attempts = settledAttempts(b, load);
                int whileDead = load.completed();
                Eventually.await("50 requests while b is dead", LIMIT, () -> load.completed() >= whileDead + 50);
                int hitsBefore = backends.hits(B);
                backends.restart(B);
                int atRestart = load.completed();
                Eventually.await("100 requests or the end of the open period", LIMIT, () ->
                        load.completed() >= atRestart + 100
                                || System.nanoTime() - (openUntil - TimeUnit.MILLISECONDS.toNanos(300)) >= 0);
                int hitsWhileOpen = backends.hits(B) - hitsBefore;
                long attemptsWhileOpen = b.stats().attempts() - attempts;
                long checkedAt = System.nanoTime();
                assertThat(checkedAt - openUntil).as("checked while the breaker was still open").isNegative();
                assertThat(load.completed() - atRestart).as("requests while b was up but ejected").isGreaterThan(10);
                assertThat(attemptsWhileOpen).as("attempts at b while its breaker was open").isZero();
                assertThat(hitsWhileOpen).as("requests b got while its breaker was open").isZero();

                Eventually.await("b's breaker closed again", LIMIT, () -> breaker.state() == CircuitBreaker.State.CLOSED);
                Eventually.await("b serving again", LIMIT, () -> backends.hits(B) >= hitsBefore + 20);
            } finally {
                load.close();
            }
            assertThat(load.failures()).as("client-visible failures (of %d requests)", load.completed()).isEmpty();
        }
    }

    @Test
    void everyBreakerOpenAnswers503WithRetryAfterAtOnce() throws Exception {
        try (Backends backends = Backends.start();
             GatewayFixture gateway = gateway(backends, ""
                     + "[upstreams.api.circuit_breaker]\n"
                     + "consecutive_failures = 3\n"
                     + "open_duration = \"1m\"\n"
                     + "max_ejected_percent = 100\n")) { // the default 50 keeps 2 of 3 in rotation: those answer 502
            SteadyGets load = SteadyGets.start(gateway.uri("/work"), CLIENTS);
            try {
                awaitEveryBackendServes(load);
                backends.killAll();
                Eventually.await("every breaker open", LIMIT, () -> List.of(A, B, C).stream()
                        .allMatch(i -> breaker(gateway, i).state() == CircuitBreaker.State.OPEN));
            } finally {
                load.close();
            }
            assertAllDownAnswers(load, gateway);
        }
    }

    @Test
    void healthChecksTakeAKilledTargetOutWithoutClientFailuresAndBringItBackThen503WhenAllAreDown() throws Exception {
        try (Backends backends = Backends.start();
             GatewayFixture gateway = gateway(backends, ""
                     + "[upstreams.api.health_check]\n"
                     + "path = \"/health\"\n"
                     + "interval = \"500ms\"\n"
                     + "timeout = \"500ms\"\n"
                     + "unhealthy_threshold = 2\n"
                     + "healthy_threshold = 2\n"
                     + "[upstreams.api.circuit_breaker]\n"
                     + "max_ejected_percent = 0\n")) { // breakers never eject: only health checks decide here
            Target b = target(gateway, B);
            SteadyGets load = SteadyGets.start(gateway.uri("/work"), CLIENTS);
            try {
                awaitEveryBackendServes(load);

                backends.kill(B);
                long killedAt = System.nanoTime();
                Eventually.await("b marked unhealthy", LIMIT, () -> !b.isHealthy());
                LOG.info("b marked unhealthy {} ms after the kill: {}",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt), b.health().reason());
                assertThat(b.health().reason()).isEqualTo("2 failed checks (last: connect refused)");
                long attempts = settledAttempts(b, load);
                int afterDown = load.completed();
                Eventually.await("100 more requests", LIMIT, () -> load.completed() >= afterDown + 100);
                assertThat(b.stats().attempts() - attempts).as("attempts at b while marked unhealthy").isZero();
                assertStatusShowsDown(gateway, b);

                // b comes back warming up: reachable, but its /health fails, so it must get no request.
                backends.health(B, 503);
                int hitsBefore = backends.hits(B);
                backends.restart(B);
                int checks = backends.healthChecks(B);
                Eventually.await("b checked three times since its restart", LIMIT,
                        () -> backends.healthChecks(B) >= checks + 3);
                assertThat(b.isHealthy()).isFalse();
                assertThat(backends.hits(B) - hitsBefore).as("requests b got while its health check failed").isZero();
                assertThat(b.stats().attempts() - attempts).as("attempts at b while marked unhealthy").isZero();

                backends.health(B, 200);
                Eventually.await("b marked healthy", LIMIT, b::isHealthy);
                assertThat(b.health().reason()).isEqualTo("2 passed checks");
                Eventually.await("b serving again", LIMIT, () -> backends.hits(B) >= hitsBefore + 20);
                assertThat(load.failures()).as("client-visible failures (of %d requests)", load.completed()).isEmpty();

                backends.killAll();
                Eventually.await("every target marked unhealthy", LIMIT, () -> List.of(A, B, C).stream()
                        .noneMatch(i -> target(gateway, i).isHealthy()));
            } finally {
                load.close();
            }
            assertAllDownAnswers(load, gateway);
        }
    }

    private GatewayFixture gateway(Backends backends, String poolSettings) throws Exception {
        return GatewayFixture.start(dir, "[[routes]]\npath = \"/*\"\nupstream = \"api\"\nretries = 1\n"
                + "[upstreams.api]\ntargets = [" + backends.urls() + "]\n" + poolSettings);
    }

    private static void awaitEveryBackendServes(SteadyGets load) {
        Eventually.await("a, b and c each serving", LIMIT,
                () -> load.answeredBy("a") >= 20 && load.answeredBy("b") >= 20 && load.answeredBy("c") >= 20);
    }

    /** Attempts at {@code target}, once those under way when it was taken out have finished. */
    private static long settledAttempts(Target target, SteadyGets load) {
        int now = load.completed();
        Eventually.await("attempts under way finished", LIMIT,
                () -> target.activeRequests() == 0 && load.completed() >= now + 2 * CLIENTS);
        return target.stats().attempts();
    }

    /** The admin /status shows why the target is down, since when, and its last check. */
    private static void assertStatusShowsDown(GatewayFixture gateway, Target target) throws Exception {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.adminUri("/status")).build());
        JsonNode status = null;
        for (JsonNode node : new ObjectMapper().readTree(response.body()).get("pools").get(0).get("targets")) {
            if (node.get("url").asText().equals(target.url())) {
                status = node;
            }
        }
        assertThat(status).as("target %s in /status", target.url()).isNotNull();
        assertThat(status.get("healthy").asBoolean()).isFalse();
        JsonNode health = status.get("health");
        assertThat(health.get("reason").asText()).isEqualTo(target.health().reason());
        assertThat(Instant.parse(health.get("since").asText())).isEqualTo(target.health().since());
        assertThat(health.get("last_check").get("passed").asBoolean()).isFalse();
        assertThat(health.get("last_check").get("reason").asText()).isEqualTo("connect refused");
    }

    /**
     * While the targets were dying, clients saw only refusals (502) and then no usable target (503):
     * no hang, no reset. Now the gateway answers 503 with Retry-After by itself, at once (a hang shows
     * as a timeout failure, not a stuck build).
     */
    private static void assertAllDownAnswers(SteadyGets load, GatewayFixture gateway) throws Exception {
        assertThat(load.failures()).allMatch(f -> f.startsWith("502 ") || f.startsWith("503 "));
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/work"))
                    .timeout(Duration.ofSeconds(5)).build());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        }
    }

    private static Pool pool(GatewayFixture gateway) {
        return gateway.server.pools().get("api");
    }

    private static Target target(GatewayFixture gateway, int index) {
        return pool(gateway).targets().get(index);
    }

    private static CircuitBreaker breaker(GatewayFixture gateway, int index) {
        return pool(gateway).breaker(target(gateway, index));
    }

    /**
     * Backends a, b and c: each answers its name and counts those requests, and answers /health
     * with the status the test sets. A killed one is closed (its port refuses connections);
     * a restarted one listens on its old port again.
     */
    private static final class Backends implements AutoCloseable {

        private static final List<String> NAMES = List.of("a", "b", "c");

        private final TestBackend[] running = new TestBackend[3];
        private final int[] ports = new int[3];
        private final AtomicInteger[] hits = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        private final AtomicInteger[] healthChecks = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        private final AtomicInteger[] healthStatus = {new AtomicInteger(200), new AtomicInteger(200),
                new AtomicInteger(200)};

        static Backends start() throws InterruptedException {
            Backends backends = new Backends();
            for (int i = 0; i < 3; i++) {
                int index = i;
                backends.running[i] = TestBackend.start(() -> backends.handler(index));
                backends.ports[i] = backends.running[i].port();
            }
            return backends;
        }

        private ChannelHandler handler(int index) {
            return BackendHandlers.aggregating((ctx, request) -> {
                if (request.uri().equals("/health")) {
                    healthChecks[index].incrementAndGet();
                    ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.valueOf(healthStatus[index].get()), "health"));
                } else {
                    hits[index].incrementAndGet();
                    ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.OK, NAMES.get(index)));
                }
            });
        }

        String urls() {
            StringBuilder urls = new StringBuilder();
            for (int port : ports) {
                urls.append(urls.length() == 0 ? "" : ", ").append("\"http://127.0.0.1:").append(port).append('"');
            }
            return urls.toString();
        }

        void kill(int index) {
            running[index].close();
            running[index] = null;
        }

        void restart(int index) throws InterruptedException {
            running[index] = TestBackend.startOn(ports[index], () -> handler(index));
        }

        void health(int index, int status) {
            healthStatus[index].set(status);
        }

        int hits(int index) {
            return hits[index].get();
        }

        int healthChecks(int index) {
            return healthChecks[index].get();
        }

        void killAll() {
            for (int i = 0; i < 3; i++) {
                if (running[i] != null) {
                    kill(i);
                }
            }
        }

        @Override
        public void close() {
            killAll();
        }
    }
}
