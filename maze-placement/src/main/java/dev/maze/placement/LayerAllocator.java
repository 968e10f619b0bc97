package dev.maze.placement;

/** A way to split a model's layers over nodes into pipelines; chosen by name ({@link Allocators}). */
public interface LayerAllocator {

    /** The name {@code maze place --allocator} takes. */
    String name();

    /** One line for people. */
    String description();

    /**
     * The allocation for {@code problem}: valid pipelines ({@link Problem#pipeline} accepts each), or an infeasible
     * allocation that says why.
     */
    Allocation allocate(Problem problem, Objective objective);
}
