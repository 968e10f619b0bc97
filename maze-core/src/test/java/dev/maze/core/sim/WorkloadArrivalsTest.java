package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The submissions a workload draws for a seed: deterministic, Poisson within phases, types by weight, batches and
 * traces as written, scale applied.
 */
class WorkloadArrivalsTest {

    private static final int SEEDS = 2_000;

    /** Three types of weight 6, 3, 1 and the given arrivals block. */
    private static String text(String arrivals) {
        return """
                name: mix
                cluster: {nodes: [{count: 2, cpu: 4, memoryGb: 8}]}
                classes:
                  step: {resources: {cpu: 1}, duration: 1}
                types:
                  - {name: heavy, weight: 6, tasks: [{id: a, class: step}]}
                  - {name: middle, weight: 3, tasks: [{id: a, class: step}, {id: b, class: step, dependsOn: a}]}
                  - {name: light, weight: 1, tasks: [{id: a, class: step}]}
                """ + arrivals;
    }

    private static WorkloadDefinition workload(String arrivals) throws ValidationException {
        return workload(arrivals, Map.of());
    }

    private static WorkloadDefinition workload(String arrivals, Map<String, String> overrides) throws ValidationException {
        return WorkloadParser.parse(text(arrivals), Format.YAML, "mix.yaml", overrides);
    }

    private static final String PHASES = """
            arrivals:
              phases:
                - {name: calm, durationSeconds: 600, rate: 0.5/45}
                - {name: peak, durationSeconds: 300, rate: 0.05}
                - {name: quiet, durationSeconds: 100, rate: 0}
                - {name: tail, durationSeconds: 600, rate: 1.25/45}
            """;

    @Test
    void sameSeedSameArrivalsAndAnotherSeedOthers() throws Exception {
        WorkloadDefinition workload = workload(PHASES);
        List<Arrival> first = workload.arrivals(7);
        assertThat(first).isNotEmpty();
        assertThat(workload.arrivals(7)).isEqualTo(first);
        assertThat(workload(PHASES).arrivals(7)).as("a fresh parse draws the same").isEqualTo(first);
        List<Arrival> other = workload.arrivals(8);
        assertThat(other.stream().map(Arrival::atSeconds).toList())
                .isNotEqualTo(first.stream().map(Arrival::atSeconds).toList());
    }

    @Test
    void arrivalsAreSortedWithUniqueIdsNamedByTypeAndSubmissionIndexInsideTheirPhase() throws Exception {
        WorkloadDefinition workload = workload(PHASES);
        List<Phase> phases = workload.phases();
        assertThat(phases).extracting(Phase::name).containsExactly("calm", "peak", "quiet", "tail");
        assertThat(phases).extracting(Phase::startSeconds).containsExactly(0.0, 600.0, 900.0, 1000.0);
        for (long seed = 0; seed < 50; seed++) {
            List<Arrival> arrivals = workload.arrivals(seed);
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < arrivals.size(); i++) {
                Arrival arrival = arrivals.get(i);
                assertThat(arrival.spec().id()).isEqualTo(arrival.type() + "-" + i);
                assertThat(ids.add(arrival.spec().id())).isTrue();
                assertThat(arrival.spec().name()).isEqualTo(arrival.type());
                assertThat(arrival.spec().tasks()).isEqualTo(workload.type(arrival.type()).orElseThrow().spec().tasks());
                Phase phase = phases.get(arrival.phase());
                assertThat(arrival.atSeconds()).isGreaterThanOrEqualTo(phase.startSeconds()).isLessThan(phase.endSeconds());
                if (i > 0) {
                    assertThat(arrival.atSeconds()).isGreaterThanOrEqualTo(arrivals.get(i - 1).atSeconds());
                }
            }
            assertThat(arrivals).noneMatch(a -> a.phase() == 2); // rate 0
        }
    }

    @Test
    void poissonCountsPerPhaseHaveMeanAndVarianceRateTimesDuration() throws Exception {
        WorkloadDefinition workload = workload(PHASES);
        List<Phase> phases = workload.phases();
        long[] sums = new long[phases.size()];
        long[] squares = new long[phases.size()];
        for (long seed = 0; seed < SEEDS; seed++) {
            int[] counts = new int[phases.size()];
            for (Arrival arrival : workload.arrivals(seed)) {
                counts[arrival.phase()]++;
            }
            for (int p = 0; p < counts.length; p++) {
                sums[p] += counts[p];
                squares[p] += (long) counts[p] * counts[p];
            }
        }
        for (int p = 0; p < phases.size(); p++) {
            Phase phase = phases.get(p);
            double expected = phase.ratePerSecond() * (phase.endSeconds() - phase.startSeconds());
            double mean = (double) sums[p] / SEEDS;
            double variance = (double) squares[p] / SEEDS - mean * mean;
            // The mean of 2000 Poisson(L) counts has standard deviation sqrt(L / 2000) (0.09 for L = 16.7): allow
            // 6 of them. The sample variance has about sqrt((L + 2 L^2) / 2000) (0.53): allow 6 of those.
            assertThat(mean).as("mean count in %s", phase.name()).isCloseTo(expected, within(6 * Math.sqrt(expected / SEEDS) + 1e-9));
            assertThat(variance).as("variance in %s", phase.name())
                    .isCloseTo(expected, within(6 * Math.sqrt((expected + 2 * expected * expected) / SEEDS) + 1e-9));
        }
    }

    @Test
    void typeMixFollowsTheWeights() throws Exception {
        WorkloadDefinition workload = workload(PHASES);
        Map<String, Integer> counts = new HashMap<>();
        int total = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            for (Arrival arrival : workload.arrivals(seed)) {
                counts.merge(arrival.type(), 1, Integer::sum);
                total++;
            }
        }
        Map<String, Double> expected = Map.of("heavy", 0.6, "middle", 0.3, "light", 0.1);
        for (Map.Entry<String, Double> entry : expected.entrySet()) {
            double p = entry.getValue();
            double share = (double) counts.get(entry.getKey()) / total;
            // Binomial share over ~80,000 draws: 6 standard deviations.
            assertThat(share).as(entry.getKey()).isCloseTo(p, within(6 * Math.sqrt(p * (1 - p) / total)));
        }
    }

    @Test
    void changingTheMixKeepsTheArrivalTimesOfASeed() throws Exception {
        WorkloadDefinition workload = workload(PHASES);
        WorkloadDefinition reweighted = WorkloadParser.parse(
                "name: mix\ncluster: {nodes: [{count: 2, cpu: 4, memoryGb: 8}]}\nclasses: {step: {resources: {cpu: 1}, "
                        + "duration: 1}}\ntypes:\n  - {name: heavy, weight: 1, tasks: [{id: a, class: step}]}\n"
                        + "  - {name: light, weight: 5, tasks: [{id: a, class: step}]}\n" + PHASES,
                Format.YAML, "mix.yaml", Map.of());
        assertThat(reweighted.arrivals(11)).extracting(Arrival::atSeconds)
                .isEqualTo(workload.arrivals(11).stream().map(Arrival::atSeconds).toList());
    }

    @Test
    void aZeroWeightTypeIsNeverDrawn() throws Exception {
        WorkloadDefinition workload = workload(PHASES);
        WorkloadDefinition noHeavy = workload(PHASES, Map.of("types.heavy.weight", "0"));
        for (long seed = 0; seed < 200; seed++) {
            assertThat(noHeavy.arrivals(seed)).extracting(Arrival::type).doesNotContain("heavy");
        }
        assertThat(workload.arrivals(0)).extracting(Arrival::type).contains("heavy");
    }

    @Test
    void aBatchSubmitsItsCountAtOnceWithTypesByWeight() throws Exception {
        WorkloadDefinition workload = workload("arrivals: {batch: {count: 40, atSeconds: 5}}\n");
        assertThat(workload.phases()).singleElement().satisfies(phase -> {
            assertThat(phase.name()).isEqualTo("batch");
            assertThat(phase.startSeconds()).isEqualTo(5);
            assertThat(phase.ratePerSecond()).isNaN();
        });
        List<Arrival> arrivals = workload.arrivals(3);
        assertThat(arrivals).hasSize(40).allSatisfy(a -> {
            assertThat(a.atSeconds()).isEqualTo(5);
            assertThat(a.phase()).isZero();
        });
        assertThat(arrivals).extracting(a -> a.spec().id()).doesNotHaveDuplicates().startsWith(arrivals.get(0).type() + "-0");
        assertThat(arrivals).extracting(Arrival::type).contains("heavy", "middle");
        assertThat(workload.arrivals(3)).isEqualTo(arrivals);
        assertThat(workload.arrivals(4)).extracting(Arrival::type).isNotEqualTo(arrivals.stream().map(Arrival::type).toList());
        assertThat(workload("arrivals: {scale: 1.5, batch: {count: 40}}\n").arrivals(3))
                .as("scale multiplies a batch's count").hasSize(60);
    }

    @Test
    void aTraceReplaysItsTimesInOrderAndDrawsOnlyTheMissingTypes() throws Exception {
        String trace = """
                arrivals:
                  trace: [30, {atSeconds: 10, type: light}, 0, {atSeconds: 10}, 12.5]
                """;
        WorkloadDefinition workload = workload(trace);
        List<Arrival> arrivals = workload.arrivals(1);
        assertThat(arrivals).extracting(Arrival::atSeconds).containsExactly(0.0, 10.0, 10.0, 12.5, 30.0);
        assertThat(arrivals.get(1).type()).as("ties keep the file's order; the typed entry stays light").isEqualTo("light");
        assertThat(arrivals).extracting(Arrival::phase).containsOnly(0);
        assertThat(workload.phases()).singleElement().satisfies(phase -> {
            assertThat(phase.startSeconds()).isZero();
            assertThat(phase.endSeconds()).isGreaterThan(30);
        });
        WorkloadDefinition fast = workload(trace, Map.of("arrivalScale", "2"));
        assertThat(fast.arrivals(1)).as("scale 2 replays the trace twice as fast")
                .extracting(Arrival::atSeconds).containsExactly(0.0, 5.0, 5.0, 6.25, 15.0);
        for (long seed = 0; seed < 100; seed++) {
            assertThat(workload.arrivals(seed).get(1).type()).isEqualTo("light");
        }
    }

    @Test
    void scaleMultipliesEveryPoissonRate() throws Exception {
        WorkloadDefinition base = workload(PHASES);
        WorkloadDefinition scaled = workload(PHASES, Map.of("arrivalScale", "1.5"));
        List<Phase> basePhases = base.phases();
        for (int p = 0; p < basePhases.size(); p++) {
            assertThat(scaled.phases().get(p).ratePerSecond()).isCloseTo(1.5 * basePhases.get(p).ratePerSecond(), within(1e-12));
        }
        long baseCount = 0;
        long scaledCount = 0;
        for (long seed = 0; seed < 500; seed++) {
            baseCount += base.arrivals(seed).size();
            scaledCount += scaled.arrivals(seed).size();
        }
        assertThat((double) scaledCount / baseCount).isCloseTo(1.5, within(0.05));
        // Same seed, same exponential draws: the first phase's times shrink by exactly the scale.
        List<Arrival> baseCalm = base.arrivals(9).stream().filter(a -> a.phase() == 0).toList();
        List<Arrival> scaledArrivals = scaled.arrivals(9);
        for (int i = 0; i < baseCalm.size() && baseCalm.get(i).atSeconds() < 600 / 1.5 * 0.9; i++) {
            assertThat(scaledArrivals.get(i).atSeconds()).isCloseTo(baseCalm.get(i).atSeconds() / 1.5, within(1e-9));
        }
    }
}
