package trainwatch.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "did you mean lr?" for a mistyped key: the one known key within edit distance 2 (or differing only in case). */
final class Suggest {
    private Suggest() {}

    static Optional<String> closest(String key, Collection<String> known) {
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String k : known) {
            int d = k.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT)) ? 0 : distance(key, k);
            if (d < bestDist) {
                bestDist = d;
                best = k;
            }
        }
        return bestDist <= Math.min(2, Math.max(1, key.length() / 3)) ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
