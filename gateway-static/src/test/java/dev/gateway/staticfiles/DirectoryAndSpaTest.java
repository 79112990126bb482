package dev.gateway.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gateway.staticfiles.StaticServer.RawResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DirectoryAndSpaTest {

    @RegisterExtension
    static final StaticServer site = new StaticServer();

    @RegisterExtension
    static final StaticServer spa = new StaticServer().spaFallback().cacheControl("no-cache");

    @RegisterExtension
    static final StaticServer docs = new StaticServer().mountedAt("/docs").index("start.html");

    @BeforeAll
    static void files() throws IOException {
        for (StaticServer server : new StaticServer[] {site, spa}) {
            Path root = server.root();
            Files.writeString(root.resolve("index.html"), "root index");
            Files.createDirectories(root.resolve("guide"));
            Files.writeString(root.resolve("guide/index.html"), "guide index");
            Files.writeString(root.resolve("guide/page.html"), "guide page");
            Files.createDirectories(root.resolve("assets"));
            Files.writeString(root.resolve("assets/app.js"), "console.log(1)");
            Files.createDirectories(root.resolve("evil.example"));
            Files.writeString(root.resolve("evil.example/index.html"), "not a redirect target");
            Files.writeString(root.resolve(".env"), "SECRET=1");
        }
        Files.writeString(docs.root().resolve("start.html"), "docs start");
        Files.writeString(docs.root().resolve("a.html"), "docs a");
    }

    @Test
    void rootServesTheIndexFile() {
        RawResponse response = site.rawGet("/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("root index");
        assertThat(response.header("content-type")).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void directoryWithTrailingSlashServesItsIndex() {
        assertThat(site.rawGet("/guide/").bodyText()).isEqualTo("guide index");
        assertThat(site.rawGet("/guide/page.html").bodyText()).isEqualTo("guide page");
    }

    @Test
    void directoryWithoutTrailingSlashIsRedirectedKeepingTheQuery() {
        RawResponse response = site.rawGet("/guide?lang=en&x=%20");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("location")).isEqualTo("/guide/?lang=en&x=%20");
        assertThat(response.header("content-length")).isEqualTo("0");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void redirectKeepsThePathAsEncodedAndWorksForHead() {
        RawResponse response = site.raw("HEAD", "/%61ssets");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("location")).isEqualTo("/%61ssets/");
    }

    @Test
    void redirectNeverBecomesProtocolRelative() {
        RawResponse response = site.rawGet("//evil.example");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("location")).isEqualTo("/evil.example/");
    }

    @Test
    void directoryWithoutIndexIs404AndNeverAListing() {
        RawResponse response = site.rawGet("/assets/");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.bodyText()).doesNotContain("app.js");
    }

    @Test
    void fileAskedForAsADirectoryIs404() {
        assertThat(site.rawGet("/guide/page.html/").status()).isEqualTo(404);
    }

    @Test
    void unknownPathIs404WithoutSpaFallback() {
        assertThat(site.rawGet("/users/42").status()).isEqualTo(404);
    }

    @Test
    void spaFallbackServesTheRootIndexForExtensionlessPaths() {
        for (String path : new String[] {"/users/42", "/users/42/", "/settings", "/guide/deeper/route"}) {
            RawResponse response = spa.rawGet(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.bodyText()).as(path).isEqualTo("root index");
            assertThat(response.header("content-type")).as(path).isEqualTo("text/html; charset=utf-8");
            assertThat(response.header("cache-control")).as(path).isEqualTo("no-cache");
        }
    }

    @Test
    void spaFallbackLeavesMissingAssetsAt404() {
        assertThat(spa.rawGet("/app.js").status()).isEqualTo(404);
        assertThat(spa.rawGet("/assets/missing.css").status()).isEqualTo(404);
    }

    @Test
    void spaFallbackStillServesRealFilesAndRefusesHiddenOnes() {
        assertThat(spa.rawGet("/assets/app.js").bodyText()).isEqualTo("console.log(1)");
        assertThat(spa.rawGet("/guide/").bodyText()).isEqualTo("guide index");
        assertThat(spa.rawGet("/.env").status()).isEqualTo(404);
    }

    @Test
    void mountedSiteRedirectsItsBarePrefix() {
        RawResponse response = docs.rawGet("/docs?v=2");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("location")).isEqualTo("/docs/?v=2");
    }

    @Test
    void mountedSiteServesItsConfiguredIndexAndFiles() {
        assertThat(docs.rawGet("/docs/").bodyText()).isEqualTo("docs start");
        assertThat(docs.rawGet("/docs/a.html").bodyText()).isEqualTo("docs a");
    }

    @Test
    void redirectLocationIsThePathWithASlashAndTheQuery() {
        assertThat(StaticSite.directoryLocation("/docs", "q=1")).isEqualTo("/docs/?q=1");
        assertThat(StaticSite.directoryLocation("/docs", "")).isEqualTo("/docs/?");
        assertThat(StaticSite.directoryLocation("/", null)).isEqualTo("/");
        assertThat(StaticSite.directoryLocation("", null)).isEqualTo("/");
    }

    @Test
    void redirectLocationNeverStartsLikeANetworkPath() {
        assertThat(StaticSite.directoryLocation("///a//b", null)).isEqualTo("/a//b/");
        assertThat(StaticSite.directoryLocation("/\\evil.example/docs", null)).isEqualTo("/%5Cevil.example/docs/");
        assertThat(StaticSite.directoryLocation("//\\evil.example", "x=\\")).isEqualTo("/%5Cevil.example/?x=%5C");
    }
}
