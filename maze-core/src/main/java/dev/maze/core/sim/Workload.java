package dev.maze.core.sim;

import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A simulated workload: the cluster, the models and their load costs, and the submissions. Build one with
 * {@link WorkloadParser}; {@link #arrivals(long)} draws the submissions for a seed.
 */
public interface Workload {

    /** The workload's name (for reports). */
    String name();

    /** The simulated cluster. */
    List<NodeSpec> nodes();

    /** Models by name, with their memory and load cost; a model a task names but this map lacks costs nothing to load. */
    Map<String, ModelSpec> models();

    /** Arrival phases in order (one phase covering everything for a batch or a trace). */
    List<Phase> phases();

    /** The seed used when the caller gives none. */
    long defaultSeed();

    /**
     * The submissions for {@code seed}, sorted by time; each workflow has a unique id. Same seed, same list
     * (arrival times, type choices and the seeds of sampled durations all derive from it).
     */
    List<Arrival> arrivals(long seed);

    /** A workload of the given parts; {@code arrivals} draws the submissions for a seed. */
    static Workload of(String name, List<NodeSpec> nodes, Map<String, ModelSpec> models, List<Phase> phases,
            long defaultSeed, LongFunction<List<Arrival>> arrivals) {
        List<NodeSpec> cluster = List.copyOf(nodes);
        Map<String, ModelSpec> catalog = Map.copyOf(models);
        List<Phase> phaseList = List.copyOf(phases);
        return new Workload() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<NodeSpec> nodes() {
                return cluster;
            }

            @Override
            public Map<String, ModelSpec> models() {
                return catalog;
            }

            @Override
            public List<Phase> phases() {
                return phaseList;
            }

            @Override
            public long defaultSeed() {
                return defaultSeed;
            }

            @Override
            public List<Arrival> arrivals(long seed) {
                return arrivals.apply(seed);
            }
        };
    }
}
