package dev.gateway.core.traffic;

/**
 * Once-a-second readings of one route or target, kept for five minutes in fixed arrays: cumulative
 * request and error counts, the cumulative histogram (last minute only), and two gauges (active
 * requests and recent latency, for targets). Rates, error ratios and quantiles over a window are
 * differences between two readings. Written and read on the admin listener's loop only.
 */
final class WindowedSeries {

    /** Five minutes of readings, plus the one the first difference starts from. */
    static final int HISTORY = 301;
    /** Histograms for the last minute. */
    static final int RECENT = 61;
    /** How many points a dashboard time series shows. */
    static final int POINTS = 60;

    private final long[] times = new long[HISTORY];
    private final long[] counts = new long[HISTORY];
    private final long[] errors = new long[HISTORY];
    private final double[] active = new double[HISTORY];
    private final double[] latencyMs = new double[HISTORY];
    private final long[][] histograms = new long[RECENT][];
    private long added;

    /** A reading; counts that went down (a replaced pool starts from zero) start the history anew. */
    void add(long nanos, long count, long errorCount, long[] histogram, double activeNow, double latencyNow) {
        if (added > 0 && (count < counts[slot(0)] || errorCount < errors[slot(0)])) {
            added = 0;
        }
        int i = (int) (added % HISTORY);
        times[i] = nanos;
        counts[i] = count;
        errors[i] = errorCount;
        active[i] = activeNow;
        latencyMs[i] = latencyNow;
        histograms[(int) (added % RECENT)] = histogram;
        added++;
    }

    /** Readings held, at most {@link #HISTORY}. */
    int size() {
        return (int) Math.min(added, HISTORY);
    }

    /** The array slot of the reading {@code back} readings before the newest. */
    private int slot(int back) {
        return (int) ((added - 1 - back) % HISTORY);
    }

    /** How many readings back a window of {@code seconds} reaches, limited to what is held. */
    private int reach(int seconds, int limit) {
        return Math.max(0, Math.min(seconds, Math.min(size(), limit) - 1));
    }

    long requests(int seconds) {
        int back = reach(seconds, HISTORY);
        return back == 0 ? 0 : counts[slot(0)] - counts[slot(back)];
    }

    long errors(int seconds) {
        int back = reach(seconds, HISTORY);
        return back == 0 ? 0 : errors[slot(0)] - errors[slot(back)];
    }

    /** Requests per second over the last {@code seconds}. */
    double rate(int seconds) {
        int back = reach(seconds, HISTORY);
        if (back == 0) {
            return 0;
        }
        double elapsed = (times[slot(0)] - times[slot(back)]) / 1e9;
        return elapsed <= 0 ? 0 : (counts[slot(0)] - counts[slot(back)]) / elapsed;
    }

    /** Errors over requests between {@code fromBack} and {@code toBack} readings ago; -1 without requests. */
    double errorRatio(int toBack, int fromBack) {
        int from = Math.min(fromBack, size() - 1);
        if (from <= toBack) {
            return -1;
        }
        long requests = counts[slot(toBack)] - counts[slot(from)];
        return requests <= 0 ? -1 : (double) (errors[slot(toBack)] - errors[slot(from)]) / requests;
    }

    /** The {@code q} quantile in nanoseconds over the last {@code seconds} (at most a minute), or -1. */
    long quantile(double q, int seconds) {
        int back = reach(seconds, RECENT);
        if (back == 0) {
            return -1;
        }
        long[] newer = histograms[(int) ((added - 1) % RECENT)];
        long[] older = histograms[(int) ((added - 1 - back) % RECENT)];
        return Histograms.quantile(q, older, newer);
    }

    /** Requests in each of the last {@link #POINTS} seconds, oldest first (0 before the history starts). */
    double[] ratePoints() {
        double[] out = new double[POINTS];
        for (int k = 0; k < POINTS && k + 1 < size(); k++) {
            double elapsed = (times[slot(k)] - times[slot(k + 1)]) / 1e9;
            out[POINTS - 1 - k] = elapsed <= 0 ? 0 : round((counts[slot(k)] - counts[slot(k + 1)]) / elapsed);
        }
        return out;
    }

    /** Errors in each of the last {@link #POINTS} seconds, oldest first. */
    double[] errorPoints() {
        double[] out = new double[POINTS];
        for (int k = 0; k < POINTS && k + 1 < size(); k++) {
            out[POINTS - 1 - k] = errors[slot(k)] - errors[slot(k + 1)];
        }
        return out;
    }

    double[] activePoints() {
        return gaugePoints(active);
    }

    double[] latencyPoints() {
        return gaugePoints(latencyMs);
    }

    private double[] gaugePoints(double[] gauge) {
        double[] out = new double[POINTS];
        for (int k = 0; k < POINTS && k < size(); k++) {
            out[POINTS - 1 - k] = gauge[slot(k)];
        }
        return out;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
