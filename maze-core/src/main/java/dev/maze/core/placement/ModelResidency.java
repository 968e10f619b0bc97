package dev.maze.core.placement;

/** Whether a model stays on its GPU between calls. */
public enum ModelResidency {
    /** Models stay resident until memory is needed (least recently used first): a warm scheduler, vLLM replicas. */
    KEEP,
    /** Every call loads its model and frees it afterwards: Maze's Hugging Face backend. */
    UNLOAD_AFTER_CALL
}
