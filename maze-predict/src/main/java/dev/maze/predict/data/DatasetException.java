package dev.maze.predict.data;

import java.io.IOException;

/**
 * A data file or data set that cannot be used as training data: a missing column, a cell that is not a
 * number, a negative execution time. The message names the file, the line and the column where it
 * applies, and says what to change.
 */
public final class DatasetException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where, in words a user can act on */
    public DatasetException(String message) {
        super(message);
    }
}
