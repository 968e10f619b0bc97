package dev.maze.fakellm;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A fault the server can inject into an answer, named as in {@code --faults}. */
public enum FaultKind {
    /** A 500 with an OpenAI-style error body, at once. */
    SERVER_ERROR("500"),
    /** A 429 with a {@code Retry-After} header and an OpenAI-style error body, at once. */
    RATE_LIMITED("429"),
    /** No answer at all until the client disconnects (it holds no concurrency slot meanwhile). */
    HANG("hang"),
    /**
     * A 200 after the full latency whose body is not valid JSON; when streaming, half the chunks, then a chunk cut
     * short, and no {@code [DONE]}.
     */
    MALFORMED("malformed");

    private final String flagName;

    FaultKind(String flagName) {
        this.flagName = flagName;
    }

    /** The name in {@code --faults} and in the stats ({@code 500}, {@code 429}, {@code hang}, {@code malformed}). */
    public String flagName() {
        return flagName;
    }

    /**
     * The kind of a {@code --faults} name.
     *
     * @throws IllegalArgumentException naming the kinds there are
     */
    public static FaultKind ofFlagName(String name) {
        for (FaultKind kind : values()) {
            if (kind.flagName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("--faults: unknown fault kind '" + name + "' (kinds: " + names() + ")");
    }

    /** The kinds' names, comma-separated. */
    static String names() {
        return Arrays.stream(values()).map(FaultKind::flagName).collect(Collectors.joining(", "));
    }
}
