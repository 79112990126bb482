package dev.gateway.config.toml;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Suggests the known word closest to a misspelt one, by edit distance (with transpositions). Ties go
 * to the alphabetically first candidate so that messages do not depend on set iteration order.
 */
public final class DidYouMean {

    private DidYouMean() {
    }

    /** {@code "; did you mean 'listen'?"}, or empty when nothing known is close enough. */
    public static String hint(String input, Collection<String> known) {
        return closest(input, known).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /**
     * The candidate closest to {@code input}, when the distance is small for its length: one edit
     * for short words, up to three for long ones. Case and '-' versus '_' do not count.
     */
    public static Optional<String> closest(String input, Collection<String> known) {
        String normalized = normalize(input);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(normalized, normalize(candidate));
            if (d < bestDistance || d == bestDistance && candidate.compareTo(best) < 0) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best == null || bestDistance > Math.max(1, Math.min(3, best.length() / 3))) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
