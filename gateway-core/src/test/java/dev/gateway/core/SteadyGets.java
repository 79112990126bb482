package dev.gateway.core;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady stream of GETs through the gateway from several client threads, each sending its next
 * request as soon as the previous one is answered (with a short pause, so a loaded machine keeps
 * some CPU for the gateway). Counts answers by body (each test backend answers its own name) and
 * keeps every failure: a status other than 200, an I/O error, or no answer within the timeout.
 */
final class SteadyGets implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long PAUSE_NANOS = Duration.ofMillis(2).toNanos();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    private final HttpRequest request;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger completed = new AtomicInteger();
    private volatile boolean running = true;

    private SteadyGets(URI uri) {
        this.request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).build();
    }

    static SteadyGets start(URI uri, int clients) {
        SteadyGets load = new SteadyGets(uri);
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(load::run, "steady-get-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void run() {
        while (running) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    answers.computeIfAbsent(response.body(), k -> new AtomicInteger()).incrementAndGet();
                } else {
                    failures.add(response.statusCode() + " " + response.body());
                }
            } catch (IOException e) {
                failures.add(e.toString());
            } catch (InterruptedException e) {
                return;
            }
            completed.incrementAndGet();
            LockSupport.parkNanos(PAUSE_NANOS);
        }
    }

    /** Requests answered (or failed) so far. */
    int completed() {
        return completed.get();
    }

    /** 200 answers from the backend that answers {@code name}. */
    int answeredBy(String name) {
        AtomicInteger count = answers.get(name);
        return count == null ? 0 : count.get();
    }

    /** Every failure so far, described. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops the clients after their current request. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(TIMEOUT.toMillis() * 2);
        }
    }
}
