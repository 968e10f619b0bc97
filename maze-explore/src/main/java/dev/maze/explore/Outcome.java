package dev.maze.explore;

/** How an experiment's run ended. Only an {@link #OK} run can be accepted. */
public enum Outcome {
    /** The run finished and was evaluated (its result may still be rejected). */
    OK,
    /** The run exited with an error status (the exit code, where known, is in {@link Feedback#exitCode()}). */
    FAILED,
    /** The run passed its time limit and was stopped. */
    TIMEOUT,
    /** The run passed its memory limit and was killed. */
    OOM,
    /** The run could not be started or evaluated (a proposal that failed, a missing result file). */
    ERROR;

    /**
     * The outcome named so (any case).
     *
     * @throws IllegalArgumentException naming the known ones
     */
    public static Outcome of(String name) {
        for (Outcome outcome : values()) {
            if (outcome.name().equalsIgnoreCase(name)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("outcome must be one of OK, FAILED, TIMEOUT, OOM, ERROR, not '" + name + "'");
    }
}
