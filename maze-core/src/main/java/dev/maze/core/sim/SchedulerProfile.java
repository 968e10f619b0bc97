package dev.maze.core.sim;

import dev.maze.core.engine.HeadOfLine;
import dev.maze.core.engine.WorkflowAdmission;
import dev.maze.core.placement.ModelResidency;
import dev.maze.core.placement.Placement;
import dev.maze.core.policy.OrderingPolicy;
import dev.maze.core.predict.RuntimePredictor;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A scheduler to simulate: everything that decides what runs where and when, assembled from the engine's plug-ins.
 * Factories, because each run needs fresh instances (policies and predictors keep statistics).
 *
 * @param name the name it is chosen by
 * @param description one line for reports
 * @param policy ordering
 * @param placement node and GPU choice
 * @param residency whether models stay on their GPU between calls
 * @param headOfLine what happens behind a task that fits nowhere
 * @param predictor run-time estimates
 * @param admission workflow admission given the node count, or null when every workflow starts at once
 */
public record SchedulerProfile(
        String name,
        String description,
        Supplier<OrderingPolicy> policy,
        Supplier<Placement> placement,
        ModelResidency residency,
        HeadOfLine headOfLine,
        Supplier<RuntimePredictor> predictor,
        IntFunction<WorkflowAdmission> admission) {

    /** This profile under another name with another predictor: everything else is the same. */
    public SchedulerProfile withPredictor(String newName, String newDescription, Supplier<RuntimePredictor> newPredictor) {
        return new SchedulerProfile(newName, newDescription, policy, placement, residency, headOfLine, newPredictor, admission);
    }
}
