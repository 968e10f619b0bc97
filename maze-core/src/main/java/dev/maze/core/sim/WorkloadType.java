package dev.maze.core.sim;

import dev.maze.core.workflow.WorkflowSpec;

/**
 * One workflow type of a workload: its DAG and its share of the mix.
 *
 * @param name the type's name; arrivals of it are named {@code <name>-<n>} and statistics are kept per name
 * @param weight relative share of the mix (weights need not sum to anything; 0 = never drawn)
 * @param description free text, or null
 * @param spec the workflow of {@code sim} tasks, validated, without an id (each arrival gets its own)
 */
public record WorkloadType(String name, double weight, String description, WorkflowSpec spec) {}
