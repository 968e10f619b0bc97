package dev.maze.core.exec;

/**
 * Messages quote what users and programs gave them (commands, inputs, stderr), which can be huge: a message keeps at
 * most {@link #MAX_CHARS} characters of it and says how much it left out.
 */
public final class Excerpt {

    /** The most a message quotes. */
    public static final int MAX_CHARS = 4000;

    private Excerpt() {}

    /** {@code text} itself when short enough, else its start and a note of how many characters were left out. */
    public static String of(String text) {
        if (text == null || text.length() <= MAX_CHARS) {
            return text;
        }
        return text.substring(0, MAX_CHARS) + " ... (" + (text.length() - MAX_CHARS) + " more characters left out)";
    }
}
