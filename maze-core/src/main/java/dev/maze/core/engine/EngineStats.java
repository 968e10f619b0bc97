package dev.maze.core.engine;

/**
 * Counters of an engine at one instant.
 *
 * @param nowSeconds engine clock
 * @param gpus GPUs in the cluster
 * @param gpuBusySeconds GPU-seconds during which a GPU ran at least one task
 * @param tasksStarted attempts started
 * @param activeWorkflows workflows not yet terminal
 * @param readyTasks tasks in the ready queue
 */
public record EngineStats(double nowSeconds, int gpus, double gpuBusySeconds, long tasksStarted, int activeWorkflows,
        int readyTasks) {}
