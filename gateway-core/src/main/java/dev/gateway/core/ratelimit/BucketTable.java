package dev.gateway.core.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buckets of one rate limit, one {@link Gcra} TAT per key, at most {@code maxKeys} of them, so
 * a client rotating keys (addresses, header values) cannot grow memory without bound.
 *
 * <p>Looking up an existing key is one {@link ConcurrentHashMap#get}: no lock, no allocation. When a
 * new key finds the table full, one pass drops a quarter of the buckets, those closest to full
 * first: idle buckets (full again, so forgetting them changes nothing) before any that still owe
 * tokens, and among those the smallest debts. A forgotten key starts again with a full burst; the
 * keys that owe the most, the heavy users, are the last to be forgotten. Pruning scans the table
 * twice but frees a quarter of it, so it costs a few entries per new key. While one thread prunes,
 * other threads still add keys, up to a quarter more than {@code maxKeys}; past that, a new key is
 * judged on a full bucket that is not kept.
 */
final class BucketTable {

    private static final Logger log = LoggerFactory.getLogger(BucketTable.class);
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

    private final String owner;
    private final int maxKeys;
    /** While one thread prunes, others may still add keys up to here. */
    private final int ceiling;
    private final ConcurrentHashMap<String, AtomicLong> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean pruning = new AtomicBoolean();
    private long lastWarnNanos;

    /** @param owner what the table limits, for the log: "route api (client addresses)" */
    BucketTable(String owner, int maxKeys) {
        if (maxKeys < 4) {
            throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: >= 4)");
        }
        this.owner = owner;
        this.maxKeys = maxKeys;
        this.ceiling = maxKeys + maxKeys / 4;
    }

    /** The bucket of {@code key}, created full (TAT {@code now}) if the key is new. */
    AtomicLong bucket(String key, long now) {
        AtomicLong bucket = buckets.get(key);
        if (bucket != null) {
            return bucket;
        }
        int size = buckets.size();
        if (size >= maxKeys && !prune(now) && size >= ceiling) {
            // Another thread is pruning and the slack is used up: judge on a full bucket, kept by
            // nobody, as if the key had been forgotten at once.
            return new AtomicLong(now);
        }
        AtomicLong fresh = new AtomicLong(now);
        AtomicLong raced = buckets.putIfAbsent(key, fresh);
        return raced != null ? raced : fresh;
    }

    int size() {
        return buckets.size();
    }

    /** @return false if another thread is pruning */
    private boolean prune(long now) {
        if (!pruning.compareAndSet(false, true)) {
            return false;
        }
        try {
            int excess = buckets.size() - maxKeys * 3 / 4;
            // Buckets by debt class: 0 = idle, c = debt below 2^c ns. Evict whole classes from the
            // smallest up, and part of the class where the excess is reached.
            int[] perClass = new int[64];
            for (AtomicLong bucket : buckets.values()) {
                perClass[debtClass(bucket.get(), now)]++;
            }
            int boundary = 0;
            int below = 0;
            while (boundary < 63 && below + perClass[boundary] < excess) {
                below += perClass[boundary++];
            }
            int fromBoundary = excess - below;
            for (Map.Entry<String, AtomicLong> entry : buckets.entrySet()) {
                int debtClass = debtClass(entry.getValue().get(), now);
                if (debtClass < boundary || debtClass == boundary && fromBoundary-- > 0) {
                    buckets.remove(entry.getKey(), entry.getValue());
                }
            }
            warnIfOwing(excess - perClass[0], now);
            return true;
        } finally {
            pruning.set(false);
        }
    }

    private static int debtClass(long tat, long now) {
        long debt = tat - now;
        return debt <= 0 ? 0 : 64 - Long.numberOfLeadingZeros(debt);
    }

    /** Forgetting buckets that still owe tokens lets those keys burst again: operators should know. */
    private void warnIfOwing(int owing, long now) {
        if (owing <= 0 || lastWarnNanos != 0 && now - lastWarnNanos < WARN_INTERVAL_NANOS) {
            return;
        }
        lastWarnNanos = now;
        log.warn("rate limit of {}: {} keys tracked, the most it keeps; forgot {} keys that were still limited"
                + " and may burst again (clients rotating addresses or header values?)", owner, maxKeys, owing);
    }
}
