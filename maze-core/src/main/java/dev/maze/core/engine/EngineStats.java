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
 * @param modelLoads models loaded onto GPUs
 * @param modelLoadSeconds GPU-seconds spent loading models
 * @param gpuMemoryGb GPU memory of the cluster
 * @param gpuMemoryGbSeconds integral over time of GPU memory held by running tasks and resident models
 * @param schedulingPasses times the scheduling stage ran
 */
public record EngineStats(double nowSeconds, int gpus, double gpuBusySeconds, long tasksStarted, int activeWorkflows,
        int readyTasks, long modelLoads, double modelLoadSeconds, double gpuMemoryGb, double gpuMemoryGbSeconds,
        long schedulingPasses) {}
