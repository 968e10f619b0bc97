package dev.maze.explore;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * {@code probabilistic}, {@code trace-length} and {@code sota}: new traces until the maximum (as RD-Agent), then a free
 * leaf drawn with probability {@code softmax(potential / T)}: {@code p_i = exp(φ_i/T) / Σ_j exp(φ_j/T)}. A higher
 * temperature T spreads the choice, a lower one concentrates it on the highest potential.
 */
final class SoftmaxPolicy implements TracePolicy {

    /** The potential φ of a leaf: higher means more likely to be extended. Never negative. */
    interface Potential {
        double of(ExperimentDag dag, Experiment leaf);
    }

    /** {@code probabilistic}'s: the same for every leaf (a uniform choice). */
    static final Potential UNIFORM = (dag, leaf) -> 1.0;

    /** {@code trace-length}'s: the leaf's path length L (its depth), or 1/L when inverse. */
    static Potential traceLength(boolean inverse) {
        return (dag, leaf) -> {
            int length = dag.depth(leaf.id());
            return inverse ? 1.0 / length : length;
        };
    }

    /**
     * {@code sota}'s: S = Σ over the accepted experiments on the leaf's path of {@code decay^k}, k the steps from the
     * leaf back to it (0 for the leaf itself); with decay 1, the count of accepted experiments. Inverse: 1/(1+S).
     */
    static Potential sota(boolean inverse, double decay) {
        return (dag, leaf) -> {
            double sum = 0;
            double weight = 1;
            for (Experiment at = leaf; ; at = dag.experiment(at.parent().getAsInt())) {
                if (at.accepted()) {
                    sum += weight;
                }
                if (at.isRoot()) {
                    break;
                }
                weight *= decay;
            }
            return inverse ? 1.0 / (1 + sum) : sum;
        };
    }

    private final Potential potential;
    private final double temperature;

    SoftmaxPolicy(Potential potential, double temperature) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be above 0, not " + temperature);
        }
        this.potential = potential;
        this.temperature = temperature;
    }

    @Override
    public Optional<Selection> choose(Candidates candidates, RandomGenerator random) {
        if (candidates.newRootAllowed()) {
            return Optional.of(Selection.NEW_ROOT);
        }
        List<Experiment> leaves = candidates.available();
        double[] probabilities = probabilities(candidates.dag(), leaves);
        double draw = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < leaves.size() - 1; i++) {
            cumulative += probabilities[i];
            if (draw < cumulative) {
                return Optional.of(Selection.extend(leaves.get(i).id()));
            }
        }
        return Optional.of(Selection.extend(leaves.get(leaves.size() - 1).id()));
    }

    /** The probability of each of {@code leaves}, in their order (the largest potential is subtracted first). */
    double[] probabilities(ExperimentDag dag, List<Experiment> leaves) {
        double[] scaled = new double[leaves.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = potential.of(dag, leaves.get(i)) / temperature;
            max = Math.max(max, scaled[i]);
        }
        double sum = 0;
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = Math.exp(scaled[i] - max);
            sum += scaled[i];
        }
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] /= sum;
        }
        return scaled;
    }
}
