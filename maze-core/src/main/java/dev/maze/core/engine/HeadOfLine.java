package dev.maze.core.engine;

/** What the scheduler does with tasks behind a ready task that fits nowhere now. */
public enum HeadOfLine {
    /**
     * The blocked head reserves the node where it is closest to fitting; tasks behind it start anywhere else, and on
     * that node only within what the head leaves (the default; see {@link Engine}).
     */
    RESERVE_AND_BACKFILL,
    /**
     * As Maze codes it: one queue per resource class (gpu, cpu, io); a head that fits nowhere blocks every task of
     * its class behind it until it starts. Other classes go on.
     */
    BLOCK_RESOURCE_CLASS
}
