package dev.maze.core.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a workload's workflows arrive: Poisson phases, one batch, or a replayed trace of submission times. Each
 * carries the workload's {@code scale}, the arrival intensity multiplier: Poisson rates are multiplied by it, a
 * batch's count is multiplied by it (rounded), and a trace's times are divided by it (so 2 replays it twice as fast).
 */
public sealed interface WorkloadArrivals
        permits WorkloadArrivals.PoissonPhases, WorkloadArrivals.Batch, WorkloadArrivals.Trace {

    /** Phases for per-phase statistics, in time order (one phase for a batch or a trace). */
    List<Phase> phases();

    /**
     * Submission slots in time order (ties keep their order), drawing random times from {@code random}. A slot's
     * type is null when the workload draws it by weight.
     */
    List<Slot> slots(SplittableRandom random);

    /** How many workflows are expected (exact for a batch or a trace; the Poisson mean otherwise). */
    double expectedCount();

    /**
     * One submission before its type is drawn.
     *
     * @param atSeconds virtual submission time
     * @param phase index into {@link #phases()}
     * @param type the workflow type fixed by a trace, or null to draw one by weight
     */
    record Slot(double atSeconds, int phase, String type) {}

    /**
     * One Poisson phase as written.
     *
     * @param name label for reports
     * @param durationSeconds length of the phase; phases follow each other from time 0
     * @param ratePerSecond mean workflows per second before {@code scale}; 0 = a quiet phase
     */
    record PoissonPhase(String name, double durationSeconds, double ratePerSecond) {}

    /**
     * Poisson arrivals, phase after phase: exponential gaps at each phase's rate (times scale), restarted at each
     * phase boundary (the process is memoryless, so this is exactly a piecewise-constant-rate Poisson process).
     */
    record PoissonPhases(List<PoissonPhase> poissonPhases, double scale) implements WorkloadArrivals {

        public PoissonPhases {
            poissonPhases = List.copyOf(poissonPhases);
        }

        @Override
        public List<Phase> phases() {
            List<Phase> phases = new ArrayList<>();
            double start = 0;
            for (PoissonPhase phase : poissonPhases) {
                double end = start + phase.durationSeconds();
                phases.add(new Phase(phase.name(), start, end, phase.ratePerSecond() * scale));
                start = end;
            }
            return phases;
        }

        @Override
        public List<Slot> slots(SplittableRandom random) {
            List<Slot> slots = new ArrayList<>();
            List<Phase> phases = phases();
            for (int index = 0; index < phases.size(); index++) {
                Phase phase = phases.get(index);
                double rate = phase.ratePerSecond();
                if (rate <= 0) {
                    continue;
                }
                double time = phase.startSeconds();
                while (true) {
                    // 1 - u lies in (0, 1], so the logarithm is finite.
                    time += -Math.log(1 - random.nextDouble()) / rate;
                    if (time >= phase.endSeconds()) {
                        break;
                    }
                    slots.add(new Slot(time, index, null));
                }
            }
            return slots;
        }

        @Override
        public double expectedCount() {
            return phases().stream().mapToDouble(p -> p.ratePerSecond() * (p.endSeconds() - p.startSeconds())).sum();
        }
    }

    /**
     * {@code count} workflows (times scale, rounded) submitted together at {@code atSeconds}.
     */
    record Batch(int count, double atSeconds, double scale) implements WorkloadArrivals {

        /** The number of workflows submitted, after scale. */
        public int scaledCount() {
            return (int) Math.round(count * scale);
        }

        @Override
        public List<Phase> phases() {
            return List.of(new Phase("batch", atSeconds, Math.nextUp(atSeconds), Double.NaN));
        }

        @Override
        public List<Slot> slots(SplittableRandom random) {
            List<Slot> slots = new ArrayList<>();
            for (int i = 0; i < scaledCount(); i++) {
                slots.add(new Slot(atSeconds, 0, null));
            }
            return slots;
        }

        @Override
        public double expectedCount() {
            return scaledCount();
        }
    }

    /**
     * One entry of a replayed trace.
     *
     * @param atSeconds submission time as recorded (before scale)
     * @param type the workflow type, or null to draw one by weight
     */
    record TraceEntry(double atSeconds, String type) {}

    /** Submissions at recorded times (divided by scale); entries without a type get one drawn by weight. */
    record Trace(List<TraceEntry> entries, double scale) implements WorkloadArrivals {

        public Trace {
            entries = List.copyOf(entries);
        }

        @Override
        public List<Phase> phases() {
            double last = entries.stream().mapToDouble(TraceEntry::atSeconds).max().orElse(0) / scale;
            return List.of(new Phase("trace", 0, Math.nextUp(last), Double.NaN));
        }

        @Override
        public List<Slot> slots(SplittableRandom random) {
            List<Slot> slots = new ArrayList<>();
            for (TraceEntry entry : entries) {
                slots.add(new Slot(entry.atSeconds() / scale, 0, entry.type()));
            }
            slots.sort(Comparator.comparingDouble(Slot::atSeconds)); // stable: equal times keep the file's order
            return slots;
        }

        @Override
        public double expectedCount() {
            return entries.size();
        }
    }
}
