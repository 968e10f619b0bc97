package dev.maze.explore;

import java.io.IOException;
import java.nio.file.Path;

/** A journal that cannot be read or used: the message names the file, the line where there is one, and the reason. */
public final class JournalException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    JournalException(Path file, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
        this.file = file;
        this.line = line;
    }

    /** The journal. */
    public Path file() {
        return file;
    }

    /** The line (from 1) the problem is on, or 0 when it is about the whole file. */
    public int line() {
        return line;
    }
}
