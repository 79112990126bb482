package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gateway.balancer.health.PoolHealthCheck;
import dev.gateway.balancer.targets.Target;
import dev.gateway.testkit.Eventually;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Health checks of {@code https://} targets speak TLS as requests do: the certificate checked
 * against the JVM's trusted CAs (here a test trust store) and the target's host name. A check that
 * fails the handshake marks the target down with the handshake's reason in the log. (SNI comes
 * from the same host name; the JDK sends it only for dotted names, so "localhost" shows none:
 * TlsToTargetsTest checks it on the handler both paths share.)
 */
class TlsHealthChecksTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    /** for "localhost", in the trust store */
    static SelfSignedCertificate trusted;
    /** also for "localhost", but nobody trusts it */
    static SelfSignedCertificate untrusted;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger checkerLog = (Logger) LoggerFactory.getLogger(PoolHealthCheck.class);

    @BeforeAll
    static void trustStore() throws Exception {
        trusted = new SelfSignedCertificate("localhost");
        untrusted = new SelfSignedCertificate("localhost");
        TestTrustStore.trustOnly(trusted.cert(), dir);
    }

    @AfterAll
    static void cleanUp() {
        trusted.delete();
        untrusted.delete();
        TestTrustStore.reset();
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        checkerLog.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        checkerLog.detachAppender(logs);
    }

    @Test
    void httpsTargetIsCheckedOverTlsAndGoesDownAndComesBack() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        try (TestBackend backend = TestBackend.startTls(serverTls(trusted), () -> health(status));
             GatewayFixture gateway = gateway("https://localhost:" + backend.port(), "http", "/health")) {
            Target target = target(gateway);
            // the backend speaks only TLS: a pass proves the check did too
            Eventually.await("a passed check", LIMIT, () -> passed(target));
            assertThat(target.health().lastCheck().reason()).isEqualTo("status 200");

            status.set(503);
            Eventually.await("target marked unhealthy", LIMIT, () -> !target.isHealthy());
            assertThat(target.health().reason()).isEqualTo("2 failed checks (last: status 503 (expected: 200-399))");
            assertThat(gateway.get("/x").statusCode()).isEqualTo(503);

            status.set(200);
            Eventually.await("target marked healthy", LIMIT, target::isHealthy);
            assertThat(gateway.get("/x").body()).isEqualTo("over tls");
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "target " + target.url() + " of pool api marked unhealthy after 2 failed checks"
                            + " (last: status 503 (expected: 200-399))",
                    "target " + target.url() + " of pool api marked healthy after 2 passed checks");
        }
    }

    @Test
    void untrustedCertificateFailsTheCheckWithTheReasonLogged() throws Exception {
        // same subject as the trusted certificate, so the JDK reports a signature that does not match it
        assertThat(handshakeFailure(untrusted, "localhost"))
                .isEqualTo("TLS handshake failed: PKIX path validation failed: signature check failed");
        assertThat(logs.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .endsWith(" marked unhealthy after 2 failed checks"
                        + " (last: TLS handshake failed: PKIX path validation failed: signature check failed)");
    }

    @Test
    void certificateForAnotherHostNameFailsTheCheck() throws Exception {
        assertThat(handshakeFailure(trusted, "127.0.0.1"))
                .startsWith("TLS handshake failed: No subject alternative names present");
    }

    /** Checks a backend presenting {@code certificate} as https://{@code host}: the reason it was marked down. */
    private String handshakeFailure(SelfSignedCertificate certificate, String host) throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (TestBackend backend = TestBackend.startTls(serverTls(certificate), () -> counting(requests));
             GatewayFixture gateway = gateway("https://" + host + ":" + backend.port(), "http", "/health")) {
            Target target = target(gateway);
            Eventually.await("target marked unhealthy", LIMIT, () -> !target.isHealthy());
            assertThat(requests).as("requests sent without a trusted handshake").hasValue(0);
            return target.health().lastCheck().reason();
        }
    }

    @Test
    void websocketCheckOfAnHttpsTargetUpgradesOverTls() throws Exception {
        try (TestBackend backend = TestBackend.startTls(serverTls(trusted), HealthCheckEndToEndTest::webSocketEndpoint);
             GatewayFixture gateway = gateway("https://localhost:" + backend.port(), "websocket", "/ws")) {
            Target target = target(gateway);
            Eventually.await("a passed check", LIMIT, () -> passed(target));
            assertThat(target.health().lastCheck().reason()).isEqualTo("pong");
            assertThat(target.isHealthy()).isTrue();
        }
    }

    private GatewayFixture gateway(String target, String type, String path) throws Exception {
        return GatewayFixture.start(Files.createTempDirectory(dir, "gateway"), "[[routes]]\npath = \"/*\"\n"
                + "upstream = \"api\"\nretries = 0\n[upstreams.api]\ntargets = [\"" + target + "\"]\n"
                + "[upstreams.api.health_check]\ntype = \"" + type + "\"\npath = \"" + path + "\"\n"
                + "interval = \"1s\"\ntimeout = \"1s\"\nunhealthy_threshold = 2\nhealthy_threshold = 2\n");
    }

    private static boolean passed(Target target) {
        return target.health().lastCheck() != null && target.health().lastCheck().passed();
    }

    private static Target target(GatewayFixture gateway) {
        return gateway.server.pools().get("api").targets().get(0);
    }

    private static SslContext serverTls(SelfSignedCertificate certificate) throws Exception {
        return SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build();
    }

    /** /health answers {@code status}; anything else "over tls". */
    private static ChannelHandler health(AtomicInteger status) {
        return BackendHandlers.aggregating((ctx, request) -> ctx.writeAndFlush(request.uri().equals("/health")
                ? BackendHandlers.text(HttpResponseStatus.valueOf(status.get()), "health")
                : BackendHandlers.text(HttpResponseStatus.OK, "over tls")));
    }

    private static ChannelHandler counting(AtomicInteger requests) {
        return BackendHandlers.aggregating((ctx, request) -> {
            requests.incrementAndGet();
            ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.OK, "ok"));
        });
    }
}
