package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Every size a workload (or a {@code --set}) can ask for is bounded and refused beyond its bound with the field
 * named, when the file is read: before a node, an arrival or a grid is allocated. The sizes below would otherwise
 * run the JVM out of memory (a billion workflows, a million nodes of a thousand GPUs) or wrap a count.
 */
class WorkloadLimitsTest {

    private static final String BASE = """
            name: limits
            cluster:
              nodes:
                - {count: 2, cpu: 4, memoryGb: 32, gpus: 1, gpuMemoryGb: 80}
            models:
              m: {memoryGb: 40, loadSeconds: 30}
            types:
              - name: t
                tasks:
                  - {id: a, duration: 1}
                  - {id: b, model: m, duration: 2, dependsOn: a}
              - {name: u, tasks: [{id: c, duration: 1}]}
            arrivals:
              phases:
                - {name: calm, durationSeconds: 600, rate: 0.05}
                - {name: busy, durationSeconds: 600, rate: 0.1}
            """;

    private static List<String> errors(String yaml, Map<String, String> overrides) {
        long started = System.nanoTime();
        try {
            WorkloadParser.parse(yaml, Format.YAML, "wl.yaml", overrides);
        } catch (ValidationException e) {
            // Refused as the file is read: nothing of the size asked for was built.
            assertThat((System.nanoTime() - started) / 1e9).as("refused at once").isLessThan(5);
            return e.errors().stream().map(ValidationError::toString).toList();
        }
        throw new AssertionError("accepted with " + overrides);
    }

    private static List<String> errors(Map<String, String> overrides) {
        return errors(BASE, new LinkedHashMap<>(overrides));
    }

    @ParameterizedTest(name = "--set {0}={1}")
    @CsvSource(delimiter = '|', value = {
        // the inputs, and their neighbours
        "arrivalScale | 1e9 | arrivals.scale': the phases' rates x durations x scale 1.0E9 expect 90,000,000,000 workflows a "
                + "run; a run may submit at most 1,000,000 workflows; lower arrivals.scale (--set arrivalScale=...)",
        "arrivals.scale | 20000 | arrivals.scale': the phases' rates x durations x scale 20000.0 expect 1,800,000 workflows",
        "arrivals | {batch: {count: 1000000000}} | arrivals.batch.count': expected a whole number from 1 to 1,000,000, "
                + "found number 1000000000",
        "arrivals | {batch: {count: 40}, scale: 1e300} | arrivals.scale': a batch of 40 x scale 1.0E300 = 4.00e+301 "
                + "workflows; a run may submit at most 1,000,000 workflows",
        "arrivals | {batch: {count: 1000000}, scale: 1.5} | arrivals.scale': a batch of 1000000 x scale 1.5 = 1,500,000 workflows",
        "arrivals.phases.busy.rate | 2000 | arrivals.phases': the phases' rates x durations expect 1,200,030 workflows a run",
        "arrivals.phases.calm.durationSeconds | 1e12 | arrivals.phases[0].durationSeconds': must be at most 100000000 s",
        "arrivals | {phases: [{durationSeconds: 6e7, rate: 0}, {durationSeconds: 6e7, rate: 0.001}]} | arrivals.phases': the "
                + "phases last 1.2E8 s in all; the arrivals' span must be at most 100000000 s",
        "arrivals | {batch: {count: 2, atSeconds: 1e9}} | arrivals.batch.atSeconds': must be at most 100000000 s",
        "arrivals | {trace: [0, 1e9]} | arrivals.trace[1]': a submission time must be at most 100000000 s",
        "arrivals | {trace: [0, {atSeconds: 2e8}]} | arrivals.trace[1].atSeconds': must be at most 100000000 s",
        "arrivals | {trace: [0, 1000000], scale: 0.001} | arrivals.scale': replays the trace's last submission (1000000.0 s) "
                + "at 1.0E9 s; a submission time must be at most 100000000 s",
        // the cluster
        "cluster.nodes.0.count | 1000000 | cluster.nodes[0].count': expected a whole number from 1 to 100,000, found number 1000000",
        "cluster.nodes.0.count | 3000000000 | cluster.nodes[0].count': expected a whole number from 1 to 100,000",
        "cluster.nodes | [{count: 60000, cpu: 4, memoryGb: 8}, {count: 60000, cpu: 4, memoryGb: 8}] | cluster.nodes[1].count': "
                + "brings the cluster to 120,000 nodes; a workload's cluster may have at most 100,000",
        "cluster.nodes.0.gpus | 5000 | cluster.nodes[0].gpus': expected a whole number from 0 to 1,024, found number 5000",
        "cluster.nodes.0.gpus | 1e19 | cluster.nodes[0].gpus': expected a whole number from 0 to 1,024, found number 1.0E19",
        "cluster.nodes | [{count: 100000, cpu: 4, memoryGb: 8, gpus: 16, gpuMemoryGb: 80}] | cluster.nodes[0].gpus': brings "
                + "the cluster to 1,600,000 GPUs; a workload's cluster may have at most 1,000,000 in all",
        "cluster.nodes.0.cpu | 1e9 | cluster.nodes[0].cpu': must be at most 100,000 cores, found 1.0E9",
        "cluster.nodes.0.memoryGb | 1e12 | cluster.nodes[0].memoryGb': must be at most 10,000,000 GB",
        "cluster.nodes.0.gpuMemoryGb | 1e400 | cluster.nodes[0].gpuMemoryGb': expected a number, found a number too large to hold",
        // models and tasks
        "models.m.loadSeconds | 1e9 | models.m.loadSeconds': must be at most 100000000 s",
        "models.m.concurrency | 1000000 | models.m.concurrency': expected a whole number from 1 to 10,000, found number 1000000",
        "models.m | {memoryGb: 40, sizeGb: 1e12, bandwidthGbPerSec: 1} | models.m.sizeGb': loads in sizeGb / "
                + "bandwidthGbPerSec seconds, which must be at most 100000000 s",
        "types.t.tasks.a.resources | {gpus: 1e19} | resources.gpus': expected a whole number from 0 to 1,024",
        "types.t.tasks.a.resources | {gpus: 2048} | resources.gpus': expected a whole number from 0 to 1,024, found number 2048"})
    void aSizeBeyondItsBoundIsRefusedNamingTheField(String key, String value, String expected) {
        assertThat(errors(Map.of(key, value))).anySatisfy(error -> assertThat(error).contains("field '" + expected));
    }

    @Test
    void theBoundsThemselvesAreAccepted() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("arrivals", "{batch: {count: 1000000, atSeconds: 100000000}}");
        overrides.put("cluster.nodes.0.gpus", "1024");
        overrides.put("cluster.nodes.0.count", "10");
        WorkloadDefinition workload = WorkloadParser.parse(BASE, Format.YAML, "wl.yaml", overrides);
        assertThat(workload.nodes()).hasSize(10).allSatisfy(node -> assertThat(node.gpus()).hasSize(1024));
        assertThat(workload.arrivalProcess().expectedCount()).isEqualTo(1_000_000);
    }

    @Test
    void weightsThatAddUpToInfinityAreRefused() {
        assertThat(errors(Map.of("types.t.weight", "1e308", "types.u.weight", "1e308")))
                .contains("wl.yaml: field 'types': the weights add up to more than a number can hold; use smaller ones "
                        + "(only their ratios count)");
    }

    @Test
    void twoPhasesOfOneNameAreRefusedAndAnOverrideCannotPickOneSilently() {
        String twice = BASE.replace("name: busy", "name: calm");
        assertThat(errors(twice, Map.of())).containsExactly("wl.yaml: field 'arrivals.phases[1].name': 'calm' is already "
                + "the name of arrivals.phases[0]; give each phase its own name");
        // A written name that is another phase's default name ("phase 1") collides too.
        assertThat(errors(BASE.replace("{name: calm, ", "{").replace("name: busy", "name: phase 1"), Map.of()))
                .containsExactly("wl.yaml: field 'arrivals.phases[1].name': 'phase 1' is already the name of "
                        + "arrivals.phases[0]; give each phase its own name");
        assertThat(errors(twice, Map.of("arrivals.phases.calm.rate", "0.2")))
                .anySatisfy(error -> assertThat(error).contains("field 'arrivals.phases.calm.rate': override: "
                        + "'arrivals.phases.calm': 2 phases have name 'calm' (indices 0, 1); address one by index, e.g. "
                        + "arrivals.phases.0"));
    }

    @Test
    void anOverrideOfARepeatedNodeGroupPrefixNamesTheGroupsInsteadOfChangingTheFirst() {
        String two = BASE.replace("- {count: 2, cpu: 4, memoryGb: 32, gpus: 1, gpuMemoryGb: 80}",
                "- {count: 2, idPrefix: gpu, cpu: 4, memoryGb: 32, gpus: 1, gpuMemoryGb: 80}\n"
                        + "    - {count: 1, idPrefix: gpu, cpu: 8, memoryGb: 32, gpus: 1, gpuMemoryGb: 80}");
        assertThatThrownBy(() -> WorkloadParser.parse(two, Format.YAML, "wl.yaml", Map.of("cluster.nodes.gpu.count", "3")))
                .hasMessageContaining("field 'cluster.nodes.gpu.count': override: 'cluster.nodes.gpu': 2 node groups have "
                        + "idPrefix 'gpu' (indices 0, 1); address one by index, e.g. cluster.nodes.0");
    }
}
