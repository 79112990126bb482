package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;

/**
 * The Docker image itself: built from the repository's Dockerfile, started with a test config,
 * healthy by its own HEALTHCHECK, serving, proxying, and stopping with exit code 0 on SIGTERM.
 * Needs a container engine; without one the class is skipped and the report says why.
 */
@EnabledIf(value = "containerEngineAvailable",
        disabledReason = "no container engine reachable (Docker socket or DOCKER_HOST): the Dockerfile is not built or run here")
class DockerImageTest {

    /** Surefire runs tests with the module directory as working directory. */
    private static final Path DOCKERFILE = Path.of("..", "Dockerfile").toAbsolutePath().normalize();

    /** A proxied request without a second container: the gateway forwards to its own listener. */
    private static final String TEST_CONFIG = String.join("\n",
            "[server]",
            "listen = \"0.0.0.0:8080\"",
            "shutdown_timeout = \"5s\"",
            "[admin]",
            "listen = \"0.0.0.0:9901\"",
            "# the name this test reaches the admin port by (a remote DOCKER_HOST's), besides IPs and localhost",
            "allowed_hosts = [\"${TEST_DOCKER_HOST:-localhost}\"]",
            "[static]",
            "root = \"/opt/gateway/public\"",
            "[[routes]]",
            "name = \"self\"",
            "path = \"/via-proxy/*\"",
            "strip_prefix = true",
            "targets = [\"http://127.0.0.1:8080\"]",
            "");

    static boolean containerEngineAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @Test
    void imageIsHealthyServesAndProxiesThenStopsCleanlyOnSigterm() throws Exception {
        ImageFromDockerfile image = new ImageFromDockerfile("gateway-image-test", true).withDockerfile(DOCKERFILE);
        try (GenericContainer<?> gateway = new GenericContainer<>(image)
                .withCopyToContainer(Transferable.of(TEST_CONFIG), "/etc/gateway/app_config.toml")
                .withEnv("JAVA_OPTS", "-Xmx128m -Dgateway.image.test=true")
                .withEnv("TEST_DOCKER_HOST", DockerClientFactory.instance().dockerHostIpAddress())
                .withExposedPorts(8080, 9901)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)))) {
            gateway.start();
            HttpClient http = HttpClient.newHttpClient();
            String main = "http://" + gateway.getHost() + ":" + gateway.getMappedPort(8080);
            String admin = "http://" + gateway.getHost() + ":" + gateway.getMappedPort(9901);

            assertThat(get(http, admin + "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> direct = get(http, main + "/index.html");
            assertThat(direct.statusCode()).isEqualTo(200);
            HttpResponse<String> proxied = get(http, main + "/via-proxy/index.html");
            assertThat(proxied.statusCode()).isEqualTo(200);
            assertThat(proxied.body()).isEqualTo(direct.body()).contains("<html");

            // bin/gateway execs java: java itself is PID 1 (so it gets SIGTERM), with the shipped
            // jvm.options and JAVA_OPTS, not as root.
            String pid1 = gateway.execInContainer("cat", "/proc/1/cmdline").getStdout().replace('\0', ' ');
            assertThat(pid1).matches("(\\S*/)?java .*").contains("-XX:+UseSerialGC", "-Dgateway.image.test=true", "/opt/gateway/lib/gateway.jar");
            assertThat(gateway.execInContainer("id", "-u").getStdout().trim()).isNotEqualTo("0");

            DockerClient docker = gateway.getDockerClient();
            docker.stopContainerCmd(gateway.getContainerId()).withTimeout(30).exec();
            Long exitCode = docker.inspectContainerCmd(gateway.getContainerId()).exec().getState().getExitCodeLong();
            assertThat(exitCode).as("exit code after docker stop (SIGTERM)").isEqualTo(0L);
            assertThat(gateway.getLogs()).contains("received SIGTERM", "gateway stopped");
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
