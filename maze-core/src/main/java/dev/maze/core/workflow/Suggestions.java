package dev.maze.core.workflow;

import java.util.Collection;

/** "Did you mean ...?" for misspelled ids and field names. */
final class Suggestions {

    private Suggestions() {}

    /** The candidate closest to {@code word} by edit distance, or null when none is reasonably close. */
    static String nearest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Beyond about a third of the word, a suggestion is more confusing than helpful.
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? best : null;
    }

    /** " (did you mean 'x'?)" or the empty string. */
    static String didYouMean(String word, Collection<String> candidates) {
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
