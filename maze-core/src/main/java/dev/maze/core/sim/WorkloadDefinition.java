package dev.maze.core.sim;

import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A workload as read from a file by {@link WorkloadParser}: cluster, models, workflow types and arrival process.
 *
 * <p>{@link #arrivals(long)} splits one {@link SplittableRandom} seeded with the seed into two independent streams,
 * one for arrival times and one for the type of each arrival, so that with the same seed a change of the type mix
 * keeps every arrival time and a change of {@code scale} stretches the same times. Workflow ids are
 * {@code <type>-<n>}, n the 0-based submission index, so the engine's per-task duration seeds (derived from the
 * workflow id) are the same from run to run.
 *
 * @param name the workload's name
 * @param description free text, or null
 * @param source the file it came from, or null
 * @param defaultSeed the seed used when the caller gives none
 * @param nodes the simulated cluster
 * @param models models by name, in file order
 * @param types workflow types, in file order
 * @param arrivalProcess how workflows arrive
 */
public record WorkloadDefinition(
        String name,
        String description,
        String source,
        long defaultSeed,
        List<NodeSpec> nodes,
        Map<String, ModelSpec> models,
        List<WorkloadType> types,
        WorkloadArrivals arrivalProcess) implements Workload {

    public WorkloadDefinition {
        nodes = List.copyOf(nodes);
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        types = List.copyOf(types);
    }

    /** The type of that name, if the workload has one. */
    public Optional<WorkloadType> type(String typeName) {
        return types.stream().filter(t -> t.name().equals(typeName)).findFirst();
    }

    @Override
    public List<Phase> phases() {
        return arrivalProcess.phases();
    }

    @Override
    public List<Arrival> arrivals(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom times = root.split();
        SplittableRandom mix = root.split();
        SplittableRandom replayed = root.split(); // its own stream: replayed runs do not move arrival times or the mix
        double[] cumulative = new double[types.size()];
        double total = 0;
        for (int i = 0; i < cumulative.length; i++) {
            total += types.get(i).weight();
            cumulative[i] = total;
        }
        List<WorkloadArrivals.Slot> slots = arrivalProcess.slots(times);
        List<Arrival> arrivals = new ArrayList<>(slots.size());
        for (WorkloadArrivals.Slot slot : slots) {
            WorkloadType type = slot.type() != null
                    ? type(slot.type()).orElseThrow(() -> new IllegalStateException("unknown type " + slot.type()))
                    : draw(mix.nextDouble() * total, cumulative);
            String id = type.name() + "-" + arrivals.size();
            arrivals.add(new Arrival(slot.atSeconds(), slot.phase(), type.name(), type.instantiate(id, replayed)));
        }
        return arrivals;
    }

    /** The first type whose cumulative weight exceeds {@code point}; a type of weight 0 is never chosen. */
    private WorkloadType draw(double point, double[] cumulative) {
        for (int i = 0; i < cumulative.length; i++) {
            if (point < cumulative[i]) {
                return types.get(i);
            }
        }
        // point < total always; only rounding at the very top can land here: the last type with weight.
        for (int i = cumulative.length - 1; i >= 0; i--) {
            if (types.get(i).weight() > 0) {
                return types.get(i);
            }
        }
        throw new IllegalStateException("no type has a positive weight");
    }
}
