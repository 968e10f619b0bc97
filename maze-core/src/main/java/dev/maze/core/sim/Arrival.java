package dev.maze.core.sim;

import dev.maze.core.workflow.WorkflowSpec;

/**
 * One workflow submission of a simulated workload.
 *
 * @param atSeconds virtual submission time
 * @param phase index of the arrival phase it belongs to (0-based; 0 for a batch or a trace without phases)
 * @param type the workflow type's name
 * @param spec the workflow to submit (with a unique id)
 */
public record Arrival(double atSeconds, int phase, String type, WorkflowSpec spec) {}
