package dev.maze.core.profile;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.HeadOfLine;
import dev.maze.core.policy.WorkflowAdmission;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.placement.ModelResidency;
import dev.maze.core.placement.Placement;
import dev.maze.core.policy.OrderingPolicies;
import dev.maze.core.policy.OrderingPolicy;
import dev.maze.core.predict.RuntimePredictor;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A named scheduler: everything that decides what runs where and when, assembled from the engine's plug-ins. The same
 * profile is what {@code maze simulate --policy NAME} simulates and what {@code maze run --profile NAME} runs:
 * {@link #configure} is the one place that puts a profile on an {@link Engine.Builder}. Plug-ins are made fresh for
 * every engine, because policies and predictors keep statistics.
 *
 * @param name the name it is chosen by (with its parameters, when it was chosen with some: {@code daps:w1=0})
 * @param description one line for reports and help
 * @param ordering the ordering policy, as an {@link OrderingPolicies} spec ({@code daps:maxInferences=10,ema=0.2})
 * @param placement node and GPU choice
 * @param residency whether models stay on their GPU between calls
 * @param headOfLine what happens behind a task that fits nowhere
 * @param predictor run-time estimates
 * @param admission workflow admission given the node count, or null when every workflow starts at once
 * @param parameters the profile's own parameter keys (every other key of a spec goes to its ordering); none for most
 */
public record SchedulerProfile(
        String name,
        String description,
        String ordering,
        Supplier<Placement> placement,
        ModelResidency residency,
        HeadOfLine headOfLine,
        Predictor predictor,
        IntFunction<WorkflowAdmission> admission,
        List<Parameter> parameters) {

    /**
     * How a profile predicts run times.
     *
     * @param name for reports ({@code "Maze's moving average per resource class"}, {@code "learned"})
     * @param learned whether this is the learned run-time predictor of maze-predict: a host that keeps one over a
     *     model directory ({@code maze run}) passes its own to {@link #configure(Engine.Builder, List, RuntimePredictor)}
     *     instead of {@code factory}
     * @param factory a fresh predictor for an engine that brings none (a simulation)
     */
    public record Predictor(String name, boolean learned, Supplier<RuntimePredictor> factory) {
        public Predictor {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(factory, "factory");
        }
    }

    /**
     * A parameter of the profile itself (not of its ordering), set as {@code name:key=value}.
     *
     * @param key the key
     * @param description its values and default, for help and error messages
     * @param apply the profile with this parameter set to a value; throws {@link IllegalArgumentException} with a
     *     message naming the accepted values for a bad one
     */
    public record Parameter(String key, String description, BiFunction<SchedulerProfile, String, SchedulerProfile> apply) {}

    public SchedulerProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(residency, "residency");
        Objects.requireNonNull(headOfLine, "headOfLine");
        Objects.requireNonNull(predictor, "predictor");
        parameters = List.copyOf(parameters);
        OrderingPolicies.create(ordering); // a spec the registry refuses is a programming error here: fail at once
        List<String> orderingKeys = OrderingPolicies.parameters(orderingName(ordering));
        for (Parameter parameter : parameters) {
            if (orderingKeys.contains(parameter.key())) {
                throw new IllegalArgumentException("profile " + name + ": parameter '" + parameter.key()
                        + "' is also a parameter of its ordering " + orderingName(ordering));
            }
        }
    }

    /** A fresh ordering policy of this profile. */
    public OrderingPolicy newOrdering() {
        return OrderingPolicies.create(ordering);
    }

    /**
     * Sets this profile on {@code builder} for a cluster of {@code nodes}: the nodes, ordering, placement, model
     * residency, head-of-line rule, predictor (a fresh one from {@link Predictor#factory()}) and admission. Everything
     * else (clock, executors, models, seed, listeners) is the caller's.
     *
     * @return {@code builder}
     */
    public Engine.Builder configure(Engine.Builder builder, List<NodeSpec> nodes) {
        return configure(builder, nodes, null);
    }

    /**
     * As {@link #configure(Engine.Builder, List)}, but when this profile predicts with the learned predictor and
     * {@code learned} is not null, the engine predicts with {@code learned} (e.g. {@code maze run}'s predictor over
     * its model directory) instead of a fresh one. {@code learned} is ignored by a profile whose predictor is another.
     *
     * @return {@code builder}
     */
    public Engine.Builder configure(Engine.Builder builder, List<NodeSpec> nodes, RuntimePredictor learned) {
        return builder.nodes(nodes)
                .policy(newOrdering())
                .placement(placement.get())
                .modelResidency(residency)
                .headOfLine(headOfLine)
                .predictor(predictor.learned() && learned != null ? learned : predictor.factory().get())
                .admission(admission == null ? null : admission.apply(nodes.size()));
    }

    /** This profile under another name with another predictor: everything else is the same. */
    public SchedulerProfile withPredictor(String newName, String newDescription, Predictor newPredictor) {
        return new SchedulerProfile(newName, newDescription, ordering, placement, residency, headOfLine, newPredictor,
                admission, parameters);
    }

    /** This profile with another admission (null: none); used by profile parameters. */
    public SchedulerProfile withAdmission(IntFunction<WorkflowAdmission> newAdmission) {
        return new SchedulerProfile(name, description, ordering, placement, residency, headOfLine, predictor,
                newAdmission, parameters);
    }

    /** The ordering policy's name: its spec without parameters. */
    static String orderingName(String spec) {
        int colon = spec.indexOf(':');
        return colon < 0 ? spec : spec.substring(0, colon);
    }
}
