package dev.maze.explore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The experiments of one exploration in commit order, each derived from a parent or starting a trace, with the
 * metric's {@link Direction} stated once (maze-explore/README.md, "Model"). A forest: every experiment has at most one
 * parent, committed before it, so ids grow from parents to children.
 *
 * <p>Experiments are added only by {@link TraceScheduler#commit} (or restored by {@link ExperimentJournal}): the
 * scheduler that owns a DAG is its one writer, and others read a {@linkplain TraceScheduler#snapshot() snapshot}. Not
 * thread-safe.
 */
public final class ExperimentDag {

    /** Receives each experiment before it is added; a failure leaves the DAG unchanged. */
    interface Sink {
        void append(Experiment experiment) throws IOException;
    }

    private final Direction direction;
    private final List<Experiment> experiments = new ArrayList<>();
    private final List<List<Experiment>> children = new ArrayList<>();
    private final List<Experiment> roots = new ArrayList<>();
    private final TreeSet<Integer> leaves = new TreeSet<>();
    private Sink sink;

    /** An empty DAG whose scores improve in {@code direction}. */
    public ExperimentDag(Direction direction) {
        if (direction == null) {
            throw new IllegalArgumentException("an exploration needs a direction (higher or lower is better)");
        }
        this.direction = direction;
    }

    /** Which way scores improve. */
    public Direction direction() {
        return direction;
    }

    /** The number of experiments. */
    public int size() {
        return experiments.size();
    }

    /** Every experiment in commit order (an unmodifiable view; index = id). */
    public List<Experiment> experiments() {
        return Collections.unmodifiableList(experiments);
    }

    /**
     * The experiment with this id.
     *
     * @throws IllegalArgumentException when there is none
     */
    public Experiment experiment(int id) {
        if (id < 0 || id >= experiments.size()) {
            throw new IllegalArgumentException("no experiment " + id + " (the DAG has " + experiments.size() + ")");
        }
        return experiments.get(id);
    }

    /** The experiments derived from this one, in commit order. */
    public List<Experiment> children(int id) {
        experiment(id);
        return Collections.unmodifiableList(children.get(id));
    }

    /** The roots of the traces, in commit order. */
    public List<Experiment> roots() {
        return Collections.unmodifiableList(roots);
    }

    /** The experiments no other derives from, in commit order. */
    public List<Experiment> leaves() {
        List<Experiment> list = new ArrayList<>(leaves.size());
        for (int id : leaves) {
            list.add(experiments.get(id));
        }
        return list;
    }

    /** Whether no experiment derives from this one. */
    public boolean isLeaf(int id) {
        experiment(id);
        return leaves.contains(id);
    }

    /** The path from its root to this experiment (both included). */
    public List<Experiment> path(int id) {
        List<Experiment> path = new ArrayList<>();
        Experiment at = experiment(id);
        while (true) {
            path.add(at);
            if (at.isRoot()) {
                break;
            }
            at = experiments.get(at.parent().getAsInt());
        }
        Collections.reverse(path);
        return path;
    }

    /** The number of experiments on its path from the root: 1 for a root. */
    public int depth(int id) {
        int depth = 1;
        for (Experiment at = experiment(id); !at.isRoot(); at = experiments.get(at.parent().getAsInt())) {
            depth++;
        }
        return depth;
    }

    /** The root of the trace this experiment belongs to. */
    public Experiment root(int id) {
        Experiment at = experiment(id);
        while (!at.isRoot()) {
            at = experiments.get(at.parent().getAsInt());
        }
        return at;
    }

    /** Every root-to-leaf path, by leaf in commit order. */
    public List<Trace> traces() {
        List<Trace> traces = new ArrayList<>(leaves.size());
        for (int leaf : leaves) {
            List<Experiment> path = path(leaf);
            traces.add(new Trace(path, bestOf(path)));
        }
        return traces;
    }

    /** The best experiment of the whole DAG ({@link #bestOf}). */
    public Optional<Experiment> best() {
        return bestOf(experiments);
    }

    /**
     * The best of these experiments: among those that {@linkplain Experiment#countsAsBest() count} (accepted, with a
     * score), the one with the best score in this DAG's direction; of equal scores, the lowest id (the first found).
     * Empty when none counts.
     */
    public Optional<Experiment> bestOf(Collection<Experiment> candidates) {
        Experiment best = null;
        for (Experiment experiment : candidates) {
            if (experiment.countsAsBest() && (best == null || direction.better(experiment.score(), best.score())
                    || experiment.score().equals(best.score()) && experiment.id() < best.id())) {
                best = experiment;
            }
        }
        return Optional.ofNullable(best);
    }

    /** A copy that shares nothing mutable with this one (and writes to no journal). */
    public ExperimentDag copy() {
        ExperimentDag copy = new ExperimentDag(direction);
        for (Experiment experiment : experiments) {
            copy.add(experiment.parent(), experiment.feedback());
        }
        return copy;
    }

    /**
     * Commits an experiment: the journal first (when there is one), then this DAG.
     *
     * @return the experiment with its id
     * @throws IllegalArgumentException for a parent that is not in the DAG (nothing changes)
     * @throws UncheckedIOException when the journal cannot be written (nothing changes)
     */
    Experiment add(OptionalInt parent, Feedback feedback) {
        if (parent.isPresent()) {
            experiment(parent.getAsInt());
        }
        Experiment experiment = new Experiment(experiments.size(), parent, feedback);
        if (sink != null) {
            try {
                sink.append(experiment);
            } catch (IOException e) {
                throw new UncheckedIOException("experiment " + experiment.id() + " was not committed: " + e.getMessage(),
                        e);
            }
        }
        experiments.add(experiment);
        children.add(new ArrayList<>());
        leaves.add(experiment.id());
        if (parent.isPresent()) {
            children.get(parent.getAsInt()).add(experiment);
            leaves.remove(parent.getAsInt());
        } else {
            roots.add(experiment);
        }
        return experiment;
    }

    /** From now on each added experiment goes to {@code sink} before it is added. */
    void writeTo(Sink target) {
        this.sink = target;
    }
}
