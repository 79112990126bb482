package dev.gateway.core;

import dev.gateway.config.GatewayConfig;
import dev.gateway.config.load.ConfigLoader;
import dev.gateway.core.reload.ReloadOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real gateway on port 0 (main and admin listeners on loopback), started from a TOML snippet
 * written to a temporary directory, with an HTTP client and raw-socket helpers.
 */
final class GatewayFixture implements AutoCloseable {

    static final String LISTEN = "[server]\nlisten = \"127.0.0.1:0\"\n[admin]\nlisten = \"127.0.0.1:0\"\n"
            + "[logging]\naccess_log = \"off\"\n";

    final Path dir;
    final GatewayServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private GatewayFixture(Path dir, GatewayServer server) {
        this.dir = dir;
        this.server = server;
    }

    /** {@code toml} is appended to a header that binds both listeners to 127.0.0.1:0; it may add [server] keys via {@code server}. */
    static GatewayFixture start(Path dir, String serverKeys, String toml) throws Exception {
        return start(dir, serverKeys, "", toml);
    }

    /** As {@link #start(Path, String, String)}, with {@code adminKeys} added to [admin]. */
    static GatewayFixture start(Path dir, String serverKeys, String adminKeys, String toml) throws Exception {
        Path file = dir.resolve("app_config.toml");
        Files.writeString(file, configText(serverKeys, adminKeys, toml));
        GatewayConfig config = ConfigLoader.load(file, Map.of());
        return new GatewayFixture(dir, GatewayServer.start(config));
    }

    /** Wraps a server started from a config of the test's own (its file should live in {@code dir}). */
    static GatewayFixture of(Path dir, GatewayServer server) {
        return new GatewayFixture(dir, server);
    }

    static GatewayFixture start(Path dir, String toml) throws Exception {
        return start(dir, "", toml);
    }

    private static String configText(String serverKeys, String adminKeys, String toml) {
        return "[server]\nlisten = \"127.0.0.1:0\"\n" + serverKeys + "\n[admin]\nlisten = \"127.0.0.1:0\"\n" + adminKeys
                + "\n[logging]\naccess_log = \"off\"\n" + toml;
    }

    /** Replaces the config file (same header as {@link #start}) for a reload to pick up. */
    void rewriteConfig(String serverKeys, String toml) throws IOException {
        Path file = dir.resolve("app_config.toml");
        Path temp = dir.resolve("app_config.toml.tmp");
        Files.writeString(temp, configText(serverKeys, "", toml));
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reloads like SIGHUP does and waits for the outcome. */
    ReloadOutcome reload() throws Exception {
        return server.reload("test").get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    int port() {
        return server.mainAddress().getPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + server.adminAddress().getPort() + path);
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).build());
    }

    /** Sends with a generous limit so that a bug shows as a failure, not a hung build. */
    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no response within 60 s: " + request);
        }
    }

    RawConnection raw() throws IOException {
        return new RawConnection("127.0.0.1", port());
    }

    /** A raw connection to the admin listener. */
    RawConnection adminRaw() throws IOException {
        return new RawConnection("127.0.0.1", server.adminAddress().getPort());
    }

    @Override
    public void close() {
        server.close();
    }
}
