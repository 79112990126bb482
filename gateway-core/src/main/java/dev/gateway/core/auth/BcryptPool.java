package dev.gateway.core.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Where bcrypt runs: never on an event loop (one check costs milliseconds to a second by design),
 * on a few threads of its own with a short queue. A flood of wrong passwords can then take these
 * threads and this queue, nothing else: a check that finds the queue full, or that waited in it
 * longer than {@value #MAX_WAIT_MILLIS} ms, is answered "busy" (the client gets 503) instead of
 * piling up. One pool for the process, shared by every route and every reload.
 */
final class BcryptPool {

    static final int MATCH = 1;
    static final int MISMATCH = 0;
    static final int BUSY = -1;
    static final long MAX_WAIT_MILLIS = 5_000;

    private static final BcryptPool SHARED = new BcryptPool(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 32);

    /** htpasswd truncates passwords at bcrypt's 72 bytes; so does this. */
    private static final BCrypt.Verifyer VERIFYER = BCrypt.verifyer(BCrypt.Version.VERSION_2Y,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2Y));

    private final ThreadPoolExecutor executor;

    BcryptPool(int threads, int queue) {
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                task -> {
                    Thread thread = new Thread(task, "gateway-bcrypt");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    static BcryptPool shared() {
        return SHARED;
    }

    /**
     * Checks {@code password} against {@code hash} off the caller's thread; {@code done} gets
     * {@link #MATCH}, {@link #MISMATCH} or {@link #BUSY}, on a pool thread (or at once, when busy).
     */
    void verify(byte[] password, String hash, IntConsumer done) {
        long queued = System.nanoTime();
        try {
            executor.execute(() -> {
                if (System.nanoTime() - queued > TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS)) {
                    done.accept(BUSY);
                    return;
                }
                boolean match;
                try {
                    match = VERIFYER.verify(password, hash.getBytes(StandardCharsets.US_ASCII)).verified;
                } catch (RuntimeException e) {
                    match = false;
                }
                done.accept(match ? MATCH : MISMATCH);
            });
        } catch (RejectedExecutionException e) {
            done.accept(BUSY);
        }
    }

    /** A bcrypt hash of random bytes at {@code cost}: what an unknown user's password is checked against. */
    static String decoy(int cost) {
        char[] random = new char[16];
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < random.length; i++) {
            random[i] = (char) ('a' + r.nextInt(26));
        }
        return BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(cost, random);
    }
}
