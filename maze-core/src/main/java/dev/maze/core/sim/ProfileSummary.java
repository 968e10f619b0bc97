package dev.maze.core.sim;

import dev.maze.core.sim.SimulationMetrics.Metric;
import dev.maze.core.sim.SimulationMetrics.PhaseMetric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One scheduler profile over K seeds: every figure's mean and 95% interval ({@link Estimate}), and, where a
 * baseline profile ran on the same seeds, the per-seed paired ratios to it (value / baseline, so below 1 means
 * lower latency or fewer loads than the baseline, above 1 higher throughput).
 *
 * @param profile scheduler profile
 * @param seeds the seeds, in run order
 * @param runs the figures of each run, in seed order
 * @param metrics estimate of every {@link Metric}
 * @param phases one entry per arrival phase, in phase order
 * @param baseline the profile the ratios compare to; null when none ran
 * @param ratiosToBaseline estimate of the paired ratio of each {@link Metric#pairedWithBaseline()} metric; empty when
 *     there is no baseline
 */
public record ProfileSummary(String profile, List<Long> seeds, List<SimulationMetrics> runs,
        Map<Metric, Estimate> metrics, List<PhaseSummary> phases, String baseline,
        Map<Metric, Estimate> ratiosToBaseline) {

    public ProfileSummary {
        seeds = List.copyOf(seeds);
        runs = List.copyOf(runs);
        metrics = Collections.unmodifiableMap(new EnumMap<>(metrics));
        phases = List.copyOf(phases);
        ratiosToBaseline = ratiosToBaseline.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new EnumMap<>(ratiosToBaseline));
    }

    /**
     * The workflows submitted in one phase, over the seeds.
     *
     * @param ratiosToBaseline paired ratios of the {@link PhaseMetric#pairedWithBaseline()} metrics; empty without a
     *     baseline
     */
    public record PhaseSummary(String name, Map<PhaseMetric, Estimate> metrics,
            Map<PhaseMetric, Estimate> ratiosToBaseline) {

        public PhaseSummary {
            metrics = Collections.unmodifiableMap(new EnumMap<>(metrics));
            ratiosToBaseline = ratiosToBaseline.isEmpty() ? Map.of()
                    : Collections.unmodifiableMap(new EnumMap<>(ratiosToBaseline));
        }
    }

    /** The estimate of {@code metric}. */
    public Estimate get(Metric metric) {
        return metrics.get(metric);
    }

    /**
     * Groups {@code runs} by profile (in order of first appearance) and summarises each; ratios compare to the runs
     * of {@code baselineProfile} on the same seeds, when that profile is among them.
     *
     * @throws IllegalArgumentException when a profile ran a seed twice, or a profile's seeds differ from the
     *     baseline's
     */
    public static List<ProfileSummary> summarise(List<SimulationMetrics> runs, String baselineProfile) {
        Map<String, List<SimulationMetrics>> byProfile = new LinkedHashMap<>();
        for (SimulationMetrics run : runs) {
            byProfile.computeIfAbsent(run.profile(), profile -> new ArrayList<>()).add(run);
        }
        List<SimulationMetrics> baseline = byProfile.get(baselineProfile);
        List<ProfileSummary> summaries = new ArrayList<>();
        byProfile.forEach((profile, profileRuns) -> summaries.add(of(profileRuns, baseline)));
        return summaries;
    }

    /**
     * Summarises the runs of one profile; {@code baseline} (nullable) holds the baseline profile's runs, paired
     * with these by seed.
     */
    public static ProfileSummary of(List<SimulationMetrics> runs, List<SimulationMetrics> baseline) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to summarise");
        }
        String profile = runs.get(0).profile();
        List<Long> seeds = runs.stream().map(SimulationMetrics::seed).toList();
        if (runs.stream().anyMatch(run -> !run.profile().equals(profile))) {
            throw new IllegalArgumentException("runs of several profiles: " + runs.stream()
                    .map(SimulationMetrics::profile).distinct().toList());
        }
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("profile '" + profile + "' ran a seed twice: " + seeds);
        }
        int phaseCount = runs.get(0).phases().size();
        if (runs.stream().anyMatch(run -> run.phases().size() != phaseCount)) {
            throw new IllegalArgumentException("profile '" + profile + "': runs have different numbers of phases");
        }
        List<SimulationMetrics> paired = baseline == null ? null : pairBySeed(profile, seeds, baseline);

        Map<Metric, Estimate> metrics = new EnumMap<>(Metric.class);
        Map<Metric, Estimate> ratios = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            double[] values = values(runs, metric::of);
            metrics.put(metric, Estimate.of(values));
            if (paired != null && metric.pairedWithBaseline()) {
                ratios.put(metric, Estimate.ofRatios(values, values(paired, metric::of)));
            }
        }
        List<PhaseSummary> phases = new ArrayList<>();
        for (int i = 0; i < phaseCount; i++) {
            int phase = i;
            Map<PhaseMetric, Estimate> phaseMetrics = new EnumMap<>(PhaseMetric.class);
            Map<PhaseMetric, Estimate> phaseRatios = new EnumMap<>(PhaseMetric.class);
            for (PhaseMetric metric : PhaseMetric.values()) {
                double[] values = values(runs, run -> metric.of(run.phases().get(phase)));
                phaseMetrics.put(metric, Estimate.of(values));
                if (paired != null && metric.pairedWithBaseline() && paired.get(0).phases().size() == phaseCount) {
                    phaseRatios.put(metric, Estimate.ofRatios(values,
                            values(paired, run -> metric.of(run.phases().get(phase)))));
                }
            }
            phases.add(new PhaseSummary(runs.get(0).phases().get(i).name(), phaseMetrics, phaseRatios));
        }
        return new ProfileSummary(profile, seeds, runs, metrics, phases,
                paired == null ? null : paired.get(0).profile(), ratios);
    }

    /** The baseline's runs in the order of {@code seeds}. */
    private static List<SimulationMetrics> pairBySeed(String profile, List<Long> seeds,
            List<SimulationMetrics> baseline) {
        Map<Long, SimulationMetrics> bySeed = new LinkedHashMap<>();
        baseline.forEach(run -> bySeed.put(run.seed(), run));
        List<SimulationMetrics> paired = new ArrayList<>();
        for (long seed : seeds) {
            SimulationMetrics match = bySeed.get(seed);
            if (match == null) {
                throw new IllegalArgumentException("profile '" + profile + "' ran seed " + seed
                        + " but the baseline '" + baseline.get(0).profile() + "' did not (it ran " + bySeed.keySet()
                        + ")");
            }
            paired.add(match);
        }
        return paired;
    }

    private static double[] values(List<SimulationMetrics> runs, ToDoubleFunction<SimulationMetrics> metric) {
        return runs.stream().mapToDouble(metric).toArray();
    }
}
