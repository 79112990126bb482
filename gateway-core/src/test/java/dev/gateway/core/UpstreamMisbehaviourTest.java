package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets that answer in ways HTTP forbids or that trip a client codec: what they send never
 * reaches another request, never leaks a buffer, and never hangs the client.
 */
class UpstreamMisbehaviourTest {

    @TempDir
    Path dir;

    /**
     * A target that speaks raw bytes: for each request head it reads it writes what {@code script}
     * returns for (connection number, request number on that connection), keeping the connection open.
     */
    static final class RawTarget implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();

        RawTarget(BiFunction<Integer, Integer, String> script) throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        sockets.add(socket);
                        int connection = connections.incrementAndGet();
                        Thread serve = new Thread(() -> serve(socket, connection, script));
                        serve.setDaemon(true);
                        serve.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void serve(Socket socket, int connection, BiFunction<Integer, Integer, String> script) {
            try (socket) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (int request = 1; readHead(in); request++) {
                    out.write(script.apply(connection, request).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException e) {
                // the gateway closed the connection
            }
        }

        private static boolean readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    return true;
                }
            }
            return false;
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static String route(RawTarget target) {
        return "[[routes]]\npath = \"/*\"\ntargets = [\"" + target.url() + "\"]\ntimeout = \"2s\"\nretries = 0\n";
    }

    @Test
    void bytesAfterACompleteResponseNeverBecomeTheNextRequestsResponse() throws Exception {
        String smuggled = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nEVIL!";
        try (RawTarget target = new RawTarget((connection, request) -> connection == 1 && request == 1
                ? "HTTP/1.1 204 No Content\r\n\r\n" + smuggled
                : "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood");
             GatewayFixture gateway = GatewayFixture.start(dir, route(target))) {
            assertThat(gateway.get("/first").statusCode()).isEqualTo(204);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> next = gateway.get("/next");
                assertThat(next.body()).as("never the bytes sent after the 204").isEqualTo("good");
            }
        }
    }

    @Test
    void anUnaskedFor101IsA502() throws Exception {
        try (RawTarget target = new RawTarget((connection, request) ->
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: something\r\nConnection: upgrade\r\n\r\n"
                        + "raw bytes of another protocol");
             GatewayFixture gateway = GatewayFixture.start(dir, route(target))) {
            assertThat(gateway.get("/plain").statusCode()).isEqualTo(502);
            assertThat(gateway.get("/plain").statusCode()).isEqualTo(502);
        }
    }

    @Test
    void aHeadAnsweredWithEarlyHintsThenAContentLengthDoesNotWaitForABody() throws Exception {
        try (RawTarget target = new RawTarget((connection, request) ->
                "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: text/html\r\n\r\n");
             GatewayFixture gateway = GatewayFixture.start(dir, route(target))) {
            HttpResponse<Void> head = gateway.client.send(HttpRequest.newBuilder(gateway.uri("/page"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).as("not a 504 after waiting for a body a HEAD never has").isEqualTo(200);
            assertThat(head.headers().firstValue("content-length")).hasValue("1000");
        }
    }
}
