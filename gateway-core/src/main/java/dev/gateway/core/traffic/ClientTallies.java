package dev.gateway.core.traffic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import dev.gateway.core.traffic.TrafficViews.SuspiciousClient;

/**
 * 4xx answers per client address over the last one to two minutes, for "suspicious clients": two
 * generations of at most {@link #MAX_CLIENTS} addresses each, the older one dropped every minute
 * ({@link #rotate}). A new address that finds the current generation full is not tracked (counted
 * in {@link #untracked}), so memory stays bounded whatever the number of clients.
 */
final class ClientTallies {

    static final int MAX_CLIENTS = 1024;
    static final int IDS_KEPT = 3;
    static final int MAX_PATH = 120;

    /** One client's 4xx in one generation. */
    static final class Tally {
        final AtomicInteger clientErrors = new AtomicInteger();
        final AtomicInteger rateLimited = new AtomicInteger();
        final Ring<String> requestIds = new Ring<>(IDS_KEPT);
        volatile String lastPath;
    }

    private volatile ConcurrentHashMap<String, Tally> current = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<String, Tally> previous = new ConcurrentHashMap<>();
    private final AtomicLong untracked = new AtomicLong();

    /** A 4xx (not 499) answered to {@code clientIp}; on the event loop. */
    void record(String clientIp, int status, String requestId, String path) {
        ConcurrentHashMap<String, Tally> generation = current;
        Tally tally = generation.get(clientIp);
        if (tally == null) {
            if (generation.size() >= MAX_CLIENTS) {
                untracked.incrementAndGet();
                return;
            }
            tally = generation.computeIfAbsent(clientIp, ip -> new Tally());
        }
        tally.clientErrors.incrementAndGet();
        if (status == 429) {
            tally.rateLimited.incrementAndGet();
        }
        tally.requestIds.add(requestId);
        tally.lastPath = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) : path;
    }

    /** Starts a new generation; the one before the current is forgotten. */
    void rotate() {
        previous = current;
        current = new ConcurrentHashMap<>();
    }

    long untracked() {
        return untracked.get();
    }

    /** The {@code n} clients with the most 4xx over both generations, most first. */
    List<SuspiciousClient> top(int n) {
        Map<String, SuspiciousClient> merged = new HashMap<>();
        for (Map<String, Tally> generation : List.of(previous, current)) {
            generation.forEach((ip, t) -> merged.merge(ip, view(ip, t), ClientTallies::newerWins));
        }
        List<SuspiciousClient> all = new ArrayList<>(merged.values());
        all.sort(Comparator.comparingInt(SuspiciousClient::clientErrors).reversed().thenComparing(SuspiciousClient::clientIp));
        return all.size() > n ? List.copyOf(all.subList(0, n)) : all;
    }

    private static SuspiciousClient view(String ip, Tally t) {
        return new SuspiciousClient(ip, t.clientErrors.get(), t.rateLimited.get(), t.lastPath, t.requestIds.newestFirst());
    }

    /** Counts added; the path and ids of the current generation (merged second) kept. */
    private static SuspiciousClient newerWins(SuspiciousClient older, SuspiciousClient newer) {
        List<String> ids = new ArrayList<>(newer.requestIds());
        for (String id : older.requestIds()) {
            if (ids.size() < IDS_KEPT) {
                ids.add(id);
            }
        }
        return new SuspiciousClient(newer.clientIp(), older.clientErrors() + newer.clientErrors(),
                older.rateLimited() + newer.rateLimited(), newer.lastPath(), ids);
    }
}
