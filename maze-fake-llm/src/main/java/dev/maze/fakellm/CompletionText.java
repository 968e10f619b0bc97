package dev.maze.fakellm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic text: sentences of words drawn from a fixed vocabulary with a seeded generator. Every vocabulary word
 * is one {@code o200k_base} token with or without a leading space and capitalised, and so is the full stop, so a text
 * of n pieces is n tokens (pre-tokenisation splits at every word and punctuation mark, so pieces never merge).
 */
final class CompletionText {

    private static final List<String> CANDIDATES = List.of(
            "the", "model", "agent", "task", "plan", "graph", "node", "time", "data", "result", "answer", "question",
            "search", "tool", "call", "step", "first", "next", "then", "after", "before", "because", "so", "and", "or",
            "but", "with", "without", "from", "into", "over", "under", "each", "every", "some", "many", "few", "more",
            "less", "most", "other", "same", "new", "old", "good", "best", "fast", "slow", "large", "small", "long",
            "short", "high", "low", "open", "close", "read", "write", "run", "wait", "send", "take", "make", "find",
            "show", "keep", "move", "turn", "start", "stop", "work", "help", "need", "want", "know", "think", "see",
            "look", "use", "try", "ask", "tell", "give", "get", "set", "put", "add", "check", "test", "build", "load",
            "save", "list", "table", "file", "page", "line", "word", "text", "image", "sound", "voice", "city", "road",
            "river", "light", "water", "fire", "stone", "tree", "field", "house", "door", "window", "room", "world",
            "day", "night", "year", "week", "hour", "minute", "number", "value", "price", "cost", "rate", "level",
            "point", "part", "group", "team", "people", "person", "user", "system", "server", "client", "order",
            "report", "story", "idea", "reason", "way", "place", "thing", "case", "fact", "change", "state", "end",
            "clear", "simple", "quick", "ready", "right", "left", "true", "early", "late", "here", "there", "now",
            "also", "only", "still", "again", "soon", "often", "well", "very", "much", "all", "this", "that", "these",
            "those", "it", "we", "you", "they", "is", "are", "was", "will", "can", "may", "should", "must", "not");

    /** The vocabulary: the candidates that are one token in every position a sentence puts them. */
    static final List<String> VOCABULARY = CANDIDATES.stream()
            .filter(word -> TokenCounter.count(" " + word) == 1 && TokenCounter.count(capitalised(word)) == 1
                    && TokenCounter.count(" " + capitalised(word)) == 1)
            .toList();

    private CompletionText() {}

    /**
     * Sentences of exactly {@code tokens} tokens (no full stop after a sentence the count cuts short).
     *
     * @param tokens at least 0
     */
    static String words(SplittableRandom random, int tokens) {
        StringBuilder text = new StringBuilder(tokens * 6);
        int left = tokens;
        while (left > 0) {
            int length = 5 + random.nextInt(10); // words in this sentence
            for (int i = 0; i < length && left > 0; i++, left--) {
                String word = VOCABULARY.get(random.nextInt(VOCABULARY.size()));
                if (!text.isEmpty()) {
                    text.append(' ');
                }
                text.append(i == 0 ? capitalised(word) : word);
            }
            if (left > 0) {
                text.append('.');
                left--;
            }
        }
        return text.toString();
    }

    /**
     * A seed from the parts, by SHA-256 of their text: the same parts give the same seed on every machine and run.
     */
    static long seedOf(Object... parts) {
        MessageDigest digest = sha256();
        for (Object part : parts) {
            byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
            digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) ':');
            digest.update(bytes);
        }
        byte[] hash = digest.digest();
        long seed = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            seed = seed << 8 | hash[i] & 0xff;
        }
        return seed;
    }

    /** The SHA-256 of {@code bytes}, in hexadecimal. */
    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** {@code length} lowercase hexadecimal digits from {@code random}. */
    static String hex(SplittableRandom random, int length) {
        StringBuilder hex = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    static {
        if (VOCABULARY.size() < 100) { // the encoding is fixed, so this holds or fails on every machine alike
            throw new IllegalStateException("only " + VOCABULARY.size() + " single-token words: " + VOCABULARY);
        }
    }
}
