package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.maze.core.sim.SimulationMetrics.Metric;
import dev.maze.core.sim.SimulationMetrics.PhaseMetric;
import dev.maze.core.sim.SimulationMetrics.PhaseMetrics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Means, 95% intervals and paired ratios over seeds, against numbers worked out by hand (and checked in scipy). */
class SimulationMetricsStatisticsTest {

    @Test
    void studentQuantilesMatchTheTables() {
        assertThat(Estimate.studentT975(1)).isCloseTo(12.706, within(1e-3));
        assertThat(Estimate.studentT975(4)).isCloseTo(2.776, within(1e-3));
        assertThat(Estimate.studentT975(9)).isCloseTo(2.262, within(1e-3));
        assertThat(Estimate.studentT975(30)).isCloseTo(2.042272456, within(1e-9));
        // Beyond the table, the expansion: scipy.stats.t.ppf(0.975, df).
        assertThat(Estimate.studentT975(31)).isCloseTo(2.039513446, within(1e-7));
        assertThat(Estimate.studentT975(40)).isCloseTo(2.021075390, within(1e-7));
        assertThat(Estimate.studentT975(60)).isCloseTo(2.000297822, within(1e-7));
        assertThat(Estimate.studentT975(120)).isCloseTo(1.979930405, within(1e-7));
        assertThat(Estimate.studentT975(1_000_000)).isCloseTo(1.9599664, within(1e-6));
        assertThatThrownBy(() -> Estimate.studentT975(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theIntervalIsTTimesTheStandardError() {
        Estimate estimate = Estimate.of(1, 2, 3, 4, 5);
        assertThat(estimate.n()).isEqualTo(5);
        assertThat(estimate.mean()).isEqualTo(3.0);
        // s = sqrt(2.5), se = s / sqrt(5) = 0.7071..., t(0.975, 4) = 2.776445 -> 1.963243.
        assertThat(estimate.halfWidth()).isCloseTo(1.9632431614775572, within(1e-8));
        assertThat(estimate.low()).isCloseTo(3 - 1.9632431614775572, within(1e-8));
        assertThat(estimate.high()).isCloseTo(3 + 1.9632431614775572, within(1e-8));
    }

    @Test
    void oneRunHasAMeanButNoInterval() {
        Estimate estimate = Estimate.of(42);
        assertThat(estimate.mean()).isEqualTo(42.0);
        assertThat(estimate.halfWidth()).isNaN();
    }

    @Test
    void identicalRunsHaveAZeroWidthInterval() {
        assertThat(Estimate.of(7, 7, 7).halfWidth()).isZero();
    }

    @Test
    void nanValuesAreLeftOut() {
        Estimate estimate = Estimate.of(Double.NaN, 2, 4);
        assertThat(estimate.n()).isEqualTo(2);
        assertThat(estimate.mean()).isEqualTo(3.0);
        assertThat(Estimate.of(Double.NaN).mean()).isNaN();
    }

    @Test
    void pairedRatiosAreTakenPerSeedThenAveraged() {
        Estimate ratio = Estimate.ofRatios(new double[] {90, 60, 100}, new double[] {100, 80, 100});
        // Ratios 0.9, 0.75, 1.0.
        assertThat(ratio.n()).isEqualTo(3);
        assertThat(ratio.mean()).isCloseTo(0.8833333333, within(1e-9));
        assertThat(ratio.halfWidth()).isCloseTo(0.3125804739687888, within(1e-8));
    }

    @Test
    void aZeroBaselineGivesNoRatio() {
        Estimate ratio = Estimate.ofRatios(new double[] {0, 5}, new double[] {0, 10});
        assertThat(ratio.n()).isEqualTo(1);
        assertThat(ratio.mean()).isEqualTo(0.5);
    }

    /** One run's figures where only the latencies, throughput, loads and phase P95 matter. */
    private static SimulationMetrics run(String profile, long seed, double p95, double throughput, long loads,
            double phaseTwoP95) {
        return new SimulationMetrics(profile, seed, 10, 10, 600, throughput, p95 / 2, p95 / 3, p95, p95 * 1.1,
                List.of(new PhaseMetrics("phase 1", 5, 5, 10, 10, 20), new PhaseMetrics("phase 2", 5, 5, 30, 30,
                        phaseTwoP95)),
                50, 10, loads, 40, 1, 2, 25, 100, 1000, 10_000, 1000, 0.1);
    }

    private static List<SimulationMetrics> twoProfilesThreeSeeds() {
        List<SimulationMetrics> runs = new ArrayList<>();
        runs.add(run("daps", 1, 100, 2.0, 10, 200));
        runs.add(run("daps", 2, 80, 2.0, 20, 100));
        runs.add(run("daps", 3, 100, 1.0, 10, 100));
        runs.add(run("mine", 1, 90, 2.0, 5, 100));
        runs.add(run("mine", 2, 60, 3.0, 10, 100));
        runs.add(run("mine", 3, 100, 1.0, 5, 50));
        return runs;
    }

    @Test
    void summariesGroupRunsByProfileInOrderOfAppearance() {
        List<ProfileSummary> summaries = ProfileSummary.summarise(twoProfilesThreeSeeds(), "daps");
        assertThat(summaries).extracting(ProfileSummary::profile).containsExactly("daps", "mine");
        ProfileSummary mine = summaries.get(1);
        assertThat(mine.seeds()).containsExactly(1L, 2L, 3L);
        assertThat(mine.get(Metric.LATENCY_P95).mean()).isCloseTo(250.0 / 3, within(1e-9));
        assertThat(mine.get(Metric.LATENCY_P95).halfWidth()).isCloseTo(Estimate.of(90, 60, 100).halfWidth(),
                within(1e-12));
        assertThat(mine.get(Metric.MODEL_LOADS).mean()).isCloseTo(20.0 / 3, within(1e-9));
        assertThat(mine.phases()).extracting(ProfileSummary.PhaseSummary::name).containsExactly("phase 1", "phase 2");
        assertThat(mine.phases().get(1).metrics().get(PhaseMetric.LATENCY_P95).mean()).isCloseTo(250.0 / 3,
                within(1e-9));
    }

    @Test
    void ratiosToTheBaselinePairRunsBySeed() {
        ProfileSummary mine = ProfileSummary.summarise(twoProfilesThreeSeeds(), "daps").get(1);
        assertThat(mine.baseline()).isEqualTo("daps");
        // P95: 90/100, 60/80, 100/100 = 0.9, 0.75, 1.0.
        Estimate p95 = mine.ratiosToBaseline().get(Metric.LATENCY_P95);
        assertThat(p95.mean()).isCloseTo(0.8833333333, within(1e-9));
        assertThat(p95.halfWidth()).isCloseTo(0.3125804739687888, within(1e-8));
        // Throughput: 2/2, 3/2, 1/1 = 1, 1.5, 1.
        assertThat(mine.ratiosToBaseline().get(Metric.THROUGHPUT_PER_MIN).mean()).isCloseTo(3.5 / 3, within(1e-9));
        // Model loads: 5/10, 10/20, 5/10 = 0.5 each.
        assertThat(mine.ratiosToBaseline().get(Metric.MODEL_LOADS).mean()).isEqualTo(0.5);
        assertThat(mine.ratiosToBaseline().get(Metric.MODEL_LOADS).halfWidth()).isZero();
        // Phase 2 P95: 100/200, 100/100, 50/100 = 0.5, 1, 0.5.
        Estimate phaseTwo = mine.phases().get(1).ratiosToBaseline().get(PhaseMetric.LATENCY_P95);
        assertThat(phaseTwo.mean()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(phaseTwo.halfWidth()).isCloseTo(Estimate.of(0.5, 1, 0.5).halfWidth(), within(1e-12));
        // Only the metrics marked as paired get a ratio.
        assertThat(mine.ratiosToBaseline()).containsKey(Metric.LATENCY_P95).doesNotContainKey(Metric.WALL_SECONDS);
        assertThat(mine.phases().get(1).ratiosToBaseline()).doesNotContainKey(PhaseMetric.COMPLETED);
    }

    @Test
    void theBaselineComparedToItselfIsOne() {
        ProfileSummary daps = ProfileSummary.summarise(twoProfilesThreeSeeds(), "daps").get(0);
        assertThat(daps.ratiosToBaseline().get(Metric.LATENCY_P95).mean()).isEqualTo(1.0);
    }

    @Test
    void withoutTheBaselineThereAreNoRatios() {
        List<ProfileSummary> summaries = ProfileSummary.summarise(twoProfilesThreeSeeds(), "fcfs");
        assertThat(summaries.get(1).baseline()).isNull();
        assertThat(summaries.get(1).ratiosToBaseline()).isEmpty();
        assertThat(summaries.get(1).phases().get(0).ratiosToBaseline()).isEmpty();
    }

    @Test
    void seedsThatTheBaselineDidNotRunAreAnError() {
        List<SimulationMetrics> runs = new ArrayList<>(twoProfilesThreeSeeds());
        runs.add(run("mine", 4, 1, 1, 1, 1));
        assertThatThrownBy(() -> ProfileSummary.summarise(runs, "daps"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("profile 'mine' ran seed 4 but the baseline 'daps' did not");
    }

    @Test
    void aSeedTwiceIsAnError() {
        assertThatThrownBy(() -> ProfileSummary.of(List.of(run("mine", 1, 1, 1, 1, 1), run("mine", 1, 1, 1, 1, 1)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ran a seed twice");
    }
}
