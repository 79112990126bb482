package dev.gateway.balancer.strategy;

import dev.gateway.balancer.targets.Target;
import java.util.Arrays;
import java.util.List;

/**
 * A hash ring with {@value #POINTS_PER_WEIGHT} virtual nodes per unit of weight, placed by hashing
 * the target's URL, so a target's place does not depend on the others: removing one of N targets
 * moves only the keys it owned (about 1/N). A key goes to the first acceptable owner clockwise.
 */
final class ConsistentHashPicker implements Picker {

    static final int POINTS_PER_WEIGHT = 160;
    private static final int MAX_POINTS_PER_TARGET = 16_000;

    private final Eligibility eligibility;
    private final HashKey hashKey;
    /** sorted point positions (signed order) and, at the same index, the owning target */
    private final long[] points;
    private final int[] owners;

    ConsistentHashPicker(Eligibility eligibility, HashKey hashKey) {
        this.eligibility = eligibility;
        this.hashKey = hashKey;
        int size = eligibility.size();
        int total = 0;
        for (int i = 0; i < size; i++) {
            total += pointsOf(i);
        }
        long[][] pairs = new long[total][];
        int n = 0;
        for (int i = 0; i < size; i++) {
            String url = eligibility.target(i).url();
            for (int p = 0; p < pointsOf(i); p++) {
                pairs[n++] = new long[] {HashKey.hash(url + "#" + p), i};
            }
        }
        Arrays.sort(pairs, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        this.points = new long[total];
        this.owners = new int[total];
        for (int k = 0; k < total; k++) {
            points[k] = pairs[k][0];
            owners[k] = (int) pairs[k][1];
        }
    }

    @Override
    public int pick(RequestKey key, List<Target> tried, int mode) {
        int length = points.length;
        if (length == 0) {
            return -1;
        }
        int start = ceiling(hashKey.hashOf(key));
        int lastRejected = -1;
        for (int i = 0; i < length; i++) {
            int position = start + i < length ? start + i : start + i - length;
            int owner = owners[position];
            if (owner == lastRejected) {
                continue;
            }
            if (eligibility.accepts(owner, tried, mode)) {
                return owner;
            }
            lastRejected = owner;
        }
        return -1;
    }

    private int pointsOf(int index) {
        return Math.min(MAX_POINTS_PER_TARGET, POINTS_PER_WEIGHT * eligibility.weight(index));
    }

    /** Position of the first point at or after {@code hash}, wrapping to 0 past the end. */
    private int ceiling(long hash) {
        int low = 0;
        int high = points.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (points[middle] < hash) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low == points.length ? 0 : low;
    }
}
