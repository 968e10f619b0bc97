package dev.maze.predict.model;

/**
 * Training could not produce a model for reasons outside the data's shape: XGBoost's native library did
 * not load, the native trainer failed, or the optimisation diverged. Callers keep their previous model or
 * fall back to another {@link RegressorKind}; the message says which applies.
 */
public final class ModelTrainingException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and what the caller can do about it */
    public ModelTrainingException(String message) {
        super(message);
    }

    /** @param message what failed and what the caller can do about it; @param cause the underlying error */
    public ModelTrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
