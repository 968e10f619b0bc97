package dev.maze.core.workflow;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/** "Did you mean ...?" for misspelled ids, field names and keys, everywhere input is checked. */
public final class Suggestions {

    private Suggestions() {}

    /**
     * The candidate closest to {@code word} by edit distance, or null when none is reasonably close. A word that
     * starts a longer candidate ({@code timeout} for {@code timeoutSeconds}: a dropped unit) also counts as close.
     * Ties go to a candidate sharing the word's prefix, then to the alphabetically first, so the answer does not
     * depend on the collection's iteration order.
     */
    public static String nearest(String word, Collection<String> candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean bestExtends = false;
        for (String candidate : new TreeSet<>(candidates)) {
            String candidateLower = candidate.toLowerCase(Locale.ROOT);
            int distance = editDistance(lower, candidateLower);
            boolean extendsWord = candidateLower.startsWith(lower) || lower.startsWith(candidateLower);
            if (distance < bestDistance || (distance == bestDistance && extendsWord && !bestExtends)) {
                best = candidate;
                bestDistance = distance;
                bestExtends = extendsWord;
            }
        }
        // Beyond about a third of the word, a suggestion is more confusing than helpful; and one that shares no
        // letter with a short word ('c' for 'a') is no suggestion at all.
        if (best != null && bestDistance <= Math.max(2, word.length() / 3) && bestDistance < word.length()) {
            return best;
        }
        return lower.length() >= 3 ? onlyExtension(lower, candidates) : null;
    }

    /** The one candidate that starts with {@code lower}, or null if none or several do. */
    private static String onlyExtension(String lower, Collection<String> candidates) {
        String found = null;
        for (String candidate : candidates) {
            if (candidate.toLowerCase(Locale.ROOT).startsWith(lower)) {
                if (found != null) {
                    return null;
                }
                found = candidate;
            }
        }
        return found;
    }

    /** " (did you mean 'x'?)" or the empty string. */
    public static String didYouMean(String word, Collection<String> candidates) {
        String nearest = nearest(word, candidates);
        return nearest == null ? "" : " (did you mean '" + nearest + "'?)";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
