package dev.gateway.core.traffic;

import dev.gateway.core.metrics.RequestMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * The request and upstream histograms the gateway keeps for Prometheus
 * ({@link RequestMetrics#DURATION_BUCKETS}), read back for the dashboard: cumulative counts per
 * bucket bound, summed over several timers, and quantiles estimated from the difference of two
 * such readings the way Prometheus' {@code histogram_quantile} does (linear within a bucket).
 */
final class Histograms {

    /** Upper bounds in nanoseconds; a reading has one more slot, the total ({@code +Inf}). */
    static final long[] BOUNDS = new long[RequestMetrics.DURATION_BUCKETS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS[i] = RequestMetrics.DURATION_BUCKETS[i].toNanos();
        }
    }

    private Histograms() {
    }

    static long[] empty() {
        return new long[BOUNDS.length + 1];
    }

    /** Adds {@code timer}'s cumulative bucket counts (and its total, last) into {@code into}. */
    static void add(long[] into, Timer timer) {
        HistogramSnapshot snapshot = timer.takeSnapshot();
        for (CountAtBucket bucket : snapshot.histogramCounts()) {
            int i = indexOf((long) bucket.bucket(TimeUnit.NANOSECONDS));
            if (i >= 0) {
                into[i] += (long) bucket.count();
            }
        }
        into[BOUNDS.length] += snapshot.count();
    }

    private static int indexOf(long nanos) {
        for (int i = 0; i < BOUNDS.length; i++) {
            if (Math.abs(BOUNDS[i] - nanos) < 1_000) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The {@code q} quantile in nanoseconds of the values recorded between two readings, or -1 when
     * none was. A quantile past the last finite bound is that bound (30 s).
     */
    static long quantile(double q, long[] older, long[] newer) {
        int inf = BOUNDS.length;
        long total = newer[inf] - older[inf];
        if (total <= 0) {
            return -1;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < inf; i++) {
            long upTo = newer[i] - older[i];
            if (upTo >= rank && upTo > below) {
                long lower = i == 0 ? 0 : BOUNDS[i - 1];
                return lower + Math.round((BOUNDS[i] - lower) * (rank - below) / (upTo - below));
            }
            below = Math.max(below, upTo);
        }
        return BOUNDS[inf - 1];
    }
}
