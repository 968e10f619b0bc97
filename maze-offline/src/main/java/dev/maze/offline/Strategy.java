package dev.maze.offline;

/** A way to plan a problem; chosen by name ({@link Strategies}). */
public interface Strategy {

    /** The name {@code maze plan --strategy} takes. */
    String name();

    /** One line for people. */
    String description();

    /**
     * A valid plan for {@code problem} ({@link Verifier} finds nothing wrong with it).
     *
     * @param budget how long it may search, and the seed of every random choice
     */
    Plan plan(Problem problem, Budget budget);

    /**
     * What a strategy may spend.
     *
     * @param timeLimitSeconds the time an improvement phase may take (greedy strategies ignore it)
     * @param seed the seed of every random choice, so that a plan is reproducible
     */
    record Budget(double timeLimitSeconds, long seed) {
        public static final Budget DEFAULT = new Budget(5, 42);
    }
}
