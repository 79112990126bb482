package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.testkit.TestPki;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request variables in request_headers.set and response_headers.set, filled per request through a
 * real gateway: client_ip, request_id, host, route, target, tls_client_subject and header.NAME.
 */
class HeaderTemplatesEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void variablesAreFilledFromTheExchange() throws Exception {
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, "[[routes]]\nname = \"api\"\npath = \"/*\"\n"
                     + "targets = [\"" + backend.url() + "\"]\n"
                     + "request_headers = { set = { \"X-Client\" = \"ip=${client_ip} id=${request_id}\", "
                     + "\"X-Seen-Host\" = \"${host}\", \"X-Route\" = \"${route}\", \"X-Tenant\" = \"t-${header.X-Tenant-Id}\", "
                     + "\"X-Subject\" = \"[${tls_client_subject}]\", \"X-Literal\" = \"$${client_ip}\", "
                     + "\"X-Tenant-Id\" = \"replaced\" } }\n"
                     + "response_headers = { set = { \"X-Served-By\" = \"${target} for ${route}\", "
                     + "\"X-Echo\" = \"${header.X-Tenant-Id}\" } }\n")) {
            HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/x"))
                    .header("X-Tenant-Id", "acme").timeout(Duration.ofSeconds(30)).build());
            assertThat(response.statusCode()).isEqualTo(200);
            String requestId = response.headers().firstValue("x-request-id").orElseThrow();
            var headers = seen.poll(10, TimeUnit.SECONDS).headers();
            assertThat(headers).containsEntry("x-client", "ip=127.0.0.1 id=" + requestId)
                    .containsEntry("x-seen-host", "127.0.0.1:" + gateway.port())
                    .containsEntry("x-route", "api")
                    .containsEntry("x-tenant", "t-acme")
                    .as("values are computed before the same rules replace the header")
                    .containsEntry("x-tenant-id", "replaced")
                    .containsEntry("x-subject", "[]")
                    .containsEntry("x-literal", "${client_ip}");
            assertThat(response.headers().firstValue("x-served-by")).contains(backend.url() + " for api");
            assertThat(response.headers().firstValue("x-echo")).as("the request as sent to the target").contains("replaced");

            HttpResponse<String> without = gateway.send(HttpRequest.newBuilder(gateway.uri("/y"))
                    .timeout(Duration.ofSeconds(30)).build());
            assertThat(without.statusCode()).isEqualTo(200);
            assertThat(seen.poll(10, TimeUnit.SECONDS).headers()).as("a missing header is empty")
                    .containsEntry("x-tenant", "t-");
        }
    }

    @Test
    void theClientCertificateSubjectOfAMutualTlsConnection() throws Exception {
        TestPki clients = TestPki.ca("client ca");
        clients.authority().write(dir, "client-ca");
        TestPki.selfSigned("gateway.test").write(dir, "server");
        TestPki.Issued alice = clients.client("alice", "alice.example.com");
        BlockingQueue<BackendHandlers.Seen> seen = new LinkedBlockingQueue<>();
        try (TestBackend backend = TestBackend.start(() -> BackendHandlers.recording(seen, "ok"));
             GatewayFixture gateway = GatewayFixture.start(dir, "[server.tls]\ncert = \"server.crt\"\nkey = \"server.key\"\n"
                     + "client_auth = \"optional\"\nclient_ca = \"client-ca.crt\"\n",
                     "[[routes]]\npath = \"/*\"\ntargets = [\"" + backend.url() + "\"]\n"
                     + "request_headers = { set = { \"X-Subject\" = \"${tls_client_subject}\" } }\n")) {
            try (TlsClient client = TlsClient.connect(gateway.port(), "gateway.test", alice, List.of())) {
                assertThat(client.get("/", "X-Subject: CN=admin")).startsWith("HTTP/1.1 200");
            }
            assertThat(seen.poll(10, TimeUnit.SECONDS).headers()).containsEntry("x-subject", "CN=alice");
            try (TlsClient anonymous = TlsClient.connect(gateway.port(), "gateway.test")) {
                assertThat(anonymous.get("/", "X-Subject: CN=admin")).startsWith("HTTP/1.1 200");
            }
            assertThat(seen.poll(10, TimeUnit.SECONDS).headers()).containsEntry("x-subject", "");
        }
    }
}
