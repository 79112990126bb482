package dev.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gateway.testkit.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** [server.tls] certificates by SNI, engine and client-auth keys, upstream tls and [acme]: values and --check problems. */
class TlsConfigTest {

    @TempDir
    Path dir;
    TestPki pki;

    @BeforeEach
    void certificates() {
        pki = TestPki.ca("test ca");
        pki.server("example.com", "www.example.com").write(dir, "main");
        pki.server("*.api.example.com").write(dir, "wild");
        pki.authority().write(dir, "ca");
        pki.server("other.example.com").write(dir, "other");
    }

    @Test
    void everyTlsKeyIsRead() throws Exception {
        TlsConfig tls = ConfigFiles.parse(dir, """
                [server]
                http2 = false
                [server.tls]
                cert = "main.crt"
                key = "main.key"
                provider = "jdk"
                min_version = "tlsv1.3"
                ciphers = ["TLS_AES_128_GCM_SHA256"]
                client_auth = "optional"
                client_ca = "ca.crt"
                [[server.tls.certificates]]
                cert = "wild.crt"
                key = "wild.key"
                """).server().tls().orElseThrow();

        assertThat(tls.certificate()).contains(new CertificateFiles(dir.resolve("main.crt"), dir.resolve("main.key"),
                "server.tls"));
        assertThat(tls.certificates()).containsExactly(new CertificateFiles(dir.resolve("wild.crt"),
                dir.resolve("wild.key"), "server.tls.certificates[0]"));
        assertThat(tls.provider()).isEqualTo(TlsConfig.Provider.JDK);
        assertThat(tls.minVersion()).isEqualTo("TLSv1.3");
        assertThat(tls.ciphers()).containsExactly("TLS_AES_128_GCM_SHA256");
        assertThat(tls.clientAuth()).isEqualTo(TlsConfig.ClientAuth.OPTIONAL);
        assertThat(tls.clientCa()).contains(dir.resolve("ca.crt"));
    }

    @Test
    void http2IsOnByDefault() throws Exception {
        assertThat(ConfigFiles.parse(dir, "").server().http2().enabled()).isTrue();
        assertThat(ConfigFiles.parse(dir, "[server]\nhttp2 = false\n").server().http2().enabled()).isFalse();
    }

    @Test
    void brokenMismatchedAndConflictingFilesAreProblemsWithTheirKeyPaths() {
        ConfigFiles.write(dir, "garbage.crt", "not a certificate");
        ConfigFiles.write(dir, "rsa.key", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        pki.server("example.com").write(dir, "again");

        List<ConfigProblem> problems = ConfigFiles.problems(dir, """
                [server.tls]
                cert = "main.crt"
                key = "main.key"
                [[server.tls.certificates]]
                cert = "other.crt"
                key = "wild.key"
                [[server.tls.certificates]]
                cert = "garbage.crt"
                key = "rsa.key"
                [[server.tls.certificates]]
                cert = "again.crt"
                key = "again.key"
                [[server.tls.certificates]]
                cert = "missing.crt"
                key = "wild.key"
                """);

        assertThat(problems).extracting(ConfigProblem::keyPath).containsExactlyInAnyOrder(
                "server.tls.certificates[0].key", "server.tls.certificates[1].cert", "server.tls.certificates[1].key",
                "server.tls.certificates[2].cert", "server.tls.certificates[3].cert");
        assertThat(problems).extracting(ConfigProblem::keyPath, ConfigProblem::message).contains(
                tuple("server.tls.certificates[0].key", "the key " + dir.resolve("wild.key")
                        + " does not match the certificate " + dir.resolve("other.crt")),
                tuple("server.tls.certificates[2].cert", "name 'example.com' is also a name of the certificate of "
                        + "server.tls; a name may belong to one certificate only"));
        assertThat(problems.stream().filter(p -> p.keyPath().equals("server.tls.certificates[1].key")).findFirst()
                .orElseThrow().message()).contains("'RSA PRIVATE KEY'", "openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void clientAuthNeedsAClientCa() {
        ConfigFiles.assertSingleProblem(dir, "[server.tls]\ncert = \"main.crt\"\nkey = \"main.key\"\nclient_auth = \"require\"\n",
                "server.tls.client_auth", "needs client_ca");
    }

    @Test
    void upstreamTlsIsReadAndChecked() throws Exception {
        pki.client("gateway").write(dir, "client");
        UpstreamConfig api = ConfigFiles.parse(dir, """
                [upstreams.api]
                targets = ["https://10.0.0.1:8443"]
                tls = { ca = "ca.crt", cert = "client.crt", key = "client.key", server_name = "api.internal", verify = false }
                """).upstream("api");
        assertThat(api.tls()).isEqualTo(new UpstreamTlsConfig(Optional.of(dir.resolve("ca.crt")),
                Optional.of(new CertificateFiles(dir.resolve("client.crt"), dir.resolve("client.key"),
                        "upstreams.api.tls")), Optional.of("api.internal"), false));

        ConfigFiles.assertSingleProblem(dir, """
                [upstreams.api]
                targets = ["http://10.0.0.1:8080"]
                tls = { verify = false }
                """, "upstreams.api.tls", "applies to https:// targets");
        ConfigFiles.assertSingleProblem(dir, """
                [upstreams.api]
                targets = ["https://10.0.0.1:8443"]
                tls = { cert = "client.crt" }
                """, "upstreams.api.tls.key", "missing required key 'key'");
    }

    @Test
    void acmeTakesTheExactRouteHostsByDefault() throws Exception {
        GatewayConfig config = ConfigFiles.parse(dir, """
                [server.tls]
                redirect_from = "127.0.0.1:0"
                [acme]
                email = "ops@example.com"
                storage = "acme"
                [[routes]]
                host = "shop.example.com"
                path = "/*"
                targets = ["http://127.0.0.1:3000"]
                [[routes]]
                host = "*.example.com"
                path = "/*"
                targets = ["http://127.0.0.1:3000"]
                """);
        AcmeConfig acme = config.acme().orElseThrow();
        assertThat(acme.domains()).containsExactly("shop.example.com");
        assertThat(acme.directory()).isEqualTo(AcmeConfig.LETS_ENCRYPT);
        assertThat(acme.storage()).isEqualTo(dir.resolve("acme"));
        assertThat(acme.challenge()).isEqualTo(AcmeConfig.Challenge.HTTP_01);
        assertThat(config.server().tls().orElseThrow().certificate()).isEmpty();
    }

    @Test
    void acmeProblems() {
        assertThat(ConfigFiles.problems(dir, """
                [server.tls]
                [acme]
                directory = "http://localhost:14000/dir"
                domains = ["*.example.com"]
                storage = "main.crt"
                challenge = "dns-01"
                """)).extracting(ConfigProblem::keyPath).containsExactlyInAnyOrder("acme.directory", "acme.domains[0]",
                "acme.storage", "acme.challenge");
        ConfigFiles.assertSingleProblem(dir, """
                [server.tls]
                [acme]
                domains = ["a.example.com"]
                storage = "acme"
                """, "acme.challenge", "http-01 is answered on server.tls.redirect_from");
        ConfigFiles.assertSingleProblem(dir, """
                [acme]
                domains = ["a.example.com"]
                storage = "acme"
                challenge = "tls-alpn-01"
                """, "acme", "needs [server.tls]");
        assertThat(ConfigFiles.problems(dir, "[server.tls]\nredirect_from = \":0\"\n[acme]\nstorage = \"acme\"\n"))
                .extracting(ConfigProblem::keyPath, ConfigProblem::message)
                .containsExactly(tuple("acme", "no domains: set acme.domains or give routes an exact host"));
        assertThat(URI.create("https://acme-staging-v02.api.letsencrypt.org/directory"))
                .isEqualTo(AcmeConfig.LETS_ENCRYPT_STAGING);
    }
}
