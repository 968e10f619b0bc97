package dev.maze.explore;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/** Hand-built DAGs and scripted random draws for the tests. */
final class Dags {

    static final Feedback ACCEPTED = Feedback.ok(true, null);
    static final Feedback REJECTED = Feedback.ok(false, null);
    static final Feedback FAILED = Feedback.failed(Outcome.FAILED, 1);

    private Dags() {}

    static Experiment root(ExperimentDag dag, Feedback feedback) {
        return dag.add(OptionalInt.empty(), feedback);
    }

    static Experiment child(ExperimentDag dag, int parent, Feedback feedback) {
        return dag.add(OptionalInt.of(parent), feedback);
    }

    static Feedback accepted(double score) {
        return Feedback.ok(true, score);
    }

    static Feedback rejected(double score) {
        return Feedback.ok(false, score);
    }

    /**
     * Three traces: 0 (accepted) → 3 (rejected) → 4 (accepted); 1 (accepted); 2 (rejected) → 5 (accepted). Leaves
     * 1, 4, 5 with path lengths 1, 3, 2 and 1, 2, 1 accepted experiments on their paths.
     */
    static ExperimentDag threeTraces() {
        ExperimentDag dag = new ExperimentDag(Direction.HIGHER);
        root(dag, ACCEPTED);
        root(dag, ACCEPTED);
        root(dag, REJECTED);
        child(dag, 0, REJECTED);
        child(dag, 3, ACCEPTED);
        child(dag, 2, ACCEPTED);
        return dag;
    }

    /** A generator that hands out the given draws in order and fails a test that asks for more or other kinds. */
    static final class Scripted implements RandomGenerator {
        private final Deque<Double> doubles = new ArrayDeque<>();
        private final Deque<Integer> ints = new ArrayDeque<>();

        static Scripted doubleDraws(double... draws) {
            Scripted scripted = new Scripted();
            for (double draw : draws) {
                scripted.doubles.add(draw);
            }
            return scripted;
        }

        static Scripted intDraws(int... draws) {
            Scripted scripted = new Scripted();
            for (int draw : draws) {
                scripted.ints.add(draw);
            }
            return scripted;
        }

        @Override
        public long nextLong() {
            throw new AssertionError("an unscripted draw");
        }

        @Override
        public double nextDouble() {
            if (doubles.isEmpty()) {
                throw new AssertionError("more double draws than scripted");
            }
            return doubles.remove();
        }

        @Override
        public int nextInt(int bound) {
            if (ints.isEmpty()) {
                throw new AssertionError("more int draws than scripted");
            }
            int draw = ints.remove();
            if (draw >= bound) {
                throw new AssertionError("scripted " + draw + " for a bound of " + bound);
            }
            return draw;
        }

        boolean used() {
            return doubles.isEmpty() && ints.isEmpty();
        }
    }
}
