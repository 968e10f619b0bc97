package dev.maze.predict.model;

import java.io.IOException;

/**
 * Bytes that do not hold a usable model: not a Maze model at all, a model of another kind, a newer format
 * version, or a model whose structure is inconsistent (for example a tree node pointing outside its tree).
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the bytes and, where possible, what to do instead */
    public ModelFormatException(String message) {
        super(message);
    }

    /** @param message what is wrong with the bytes; @param cause the parser's own error */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
