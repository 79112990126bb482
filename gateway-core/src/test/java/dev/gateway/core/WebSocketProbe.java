package dev.gateway.core;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code java.net.http} WebSocket client that records what it receives: whole messages (text as
 * String, binary as byte[]), each text fragment as it arrived, pongs, the close and any error.
 */
final class WebSocketProbe implements WebSocket.Listener {

    static final long WAIT_SECONDS = 30;

    record Closed(int code, String reason) {
    }

    record Pong(byte[] data) {
    }

    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    final BlockingQueue<String> textFragments = new LinkedBlockingQueue<>();
    final CompletableFuture<Object> ended = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    WebSocket socket;

    static CompletableFuture<WebSocketProbe> connect(HttpClient client, URI uri, String... subprotocols) {
        WebSocketProbe probe = new WebSocketProbe();
        WebSocket.Builder builder = client.newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(uri, probe).thenApply(ws -> {
            probe.socket = ws;
            return probe;
        });
    }

    static WebSocketProbe open(HttpClient client, URI uri, String... subprotocols) throws Exception {
        return connect(client, uri, subprotocols).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** The next event, failing the test if none comes in time. */
    Object next() throws InterruptedException {
        Object event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no WebSocket event within " + WAIT_SECONDS + " s");
        }
        return event;
    }

    /** Sends a text message and returns the next event (its echo, normally). */
    Object roundTrip(String message) throws Exception {
        socket.sendText(message, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return next();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        textFragments.add(data.toString());
        text.append(data);
        if (last) {
            events.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.writeBytes(bytes);
        if (last) {
            events.add(binary.toByteArray());
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        events.add(new Pong(bytes));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        Closed closed = new Closed(statusCode, reason);
        events.add(closed);
        ended.complete(closed);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(error);
        ended.complete(error);
    }
}
