package dev.maze.cli;

import java.nio.charset.Charset;

/** Picks symbols that stdout can encode: "±", "R²", "µs" on a UTF-8 terminal, ASCII in a C locale, never a "?". */
final class OutputEncoding {

    private OutputEncoding() {}

    /** {@code unicode} when stdout can encode all of it, else {@code ascii}. */
    static String choose(String unicode, String ascii) {
        try {
            String encoding = System.getProperty("stdout.encoding", Charset.defaultCharset().name());
            return Charset.forName(encoding).newEncoder().canEncode(unicode) ? unicode : ascii;
        } catch (RuntimeException e) {
            return ascii;
        }
    }
}
