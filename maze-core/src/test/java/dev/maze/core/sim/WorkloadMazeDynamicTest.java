package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.maze.core.node.GpuSpec;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * workloads/maze-dynamic.yaml and batch-40.yaml hold the facts of ../shared/workloads/maze-paper.md: the cluster, the
 * 14 workflow types with their task counts per resource class and 32B models, the pool shares and the five
 * Poisson phases.
 */
class WorkloadMazeDynamicTest {

    private static final String QWEN = "qwen3-32b";
    private static final String DEEPSEEK = "deepseek-r1-32b";
    private static final String VL = "qwen2.5-vl-32b";

    /** The paper's table: cpu, gpu, io tasks per type. */
    private static final Map<String, List<Integer>> COUNTS = new LinkedHashMap<>();
    /** The 32B calls of each type, in file order, by model. */
    private static final Map<String, List<String>> CALLS = new LinkedHashMap<>();
    /** Share of the 938-query pool; the three "~10" types split the remaining 26. */
    private static final Map<String, Double> WEIGHTS = new LinkedHashMap<>();

    static {
        type("gaia_file", 1, 3, 0, 48, QWEN, DEEPSEEK, QWEN);
        type("gaia_reason", 0, 3, 1, 37, QWEN, DEEPSEEK, QWEN);
        type("gaia_speech", 1, 4, 0, 4, QWEN, DEEPSEEK, QWEN);
        type("gaia_vision", 1, 1, 1, 15, VL);
        type("document_qa", 4, 4, 4, 40, QWEN, QWEN, QWEN, QWEN);
        type("image_captioning_complex", 3, 6, 2, 140, VL, VL, VL, VL);
        type("multimodal_vqa_complex", 2, 4, 3, 305, VL, VL, VL, VL);
        type("text_processing_multilingual", 2, 6, 4, 31, QWEN, QWEN, QWEN);
        type("airline_book", 5, 2, 0, 8.667, QWEN, QWEN);
        type("airline_cancel", 3, 2, 2, 8.667, QWEN, QWEN);
        type("retail_cancel", 1, 2, 2, 99, QWEN);
        type("retail_cancel_modify", 3, 1, 2, 8.667, QWEN);
        type("retail_modify", 3, 1, 2, 121, QWEN);
        type("retail_return", 3, 1, 2, 72, QWEN);
    }

    private static void type(String name, int cpu, int gpu, int io, double weight, String... calls) {
        COUNTS.put(name, List.of(cpu, gpu, io));
        WEIGHTS.put(name, weight);
        CALLS.put(name, List.of(calls));
    }

    private static Path workloads;
    private static WorkloadDefinition dynamic;

    @BeforeAll
    static void load() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("workloads/maze-dynamic.yaml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("workloads/maze-dynamic.yaml above the working directory").isNotNull();
        workloads = dir.resolve("workloads");
        dynamic = WorkloadParser.parseFile(workloads.resolve("maze-dynamic.yaml"), Map.of());
    }

    private static boolean is32b(TaskSpec task) {
        return task.resources().model() != null && dynamic.models().get(task.resources().model()).memoryGb() == 66;
    }

    @Test
    void eightNodesWithOneWholeEightyGbGpuEach() {
        assertThat(dynamic.name()).isEqualTo("maze-dynamic");
        assertThat(dynamic.nodes()).hasSize(8).allSatisfy(node -> {
            assertThat(node.gpus()).containsExactly(new GpuSpec(0, "virtual", 80));
            assertThat(node.cpu()).isPositive();
            assertThat(node.allowedModels()).isEmpty();
        });
        assertThat(dynamic.nodes()).extracting(NodeSpec::id).containsExactly(
                "node-0", "node-1", "node-2", "node-3", "node-4", "node-5", "node-6", "node-7");
    }

    @Test
    void theThree32bModelsTakeAWholeGpuAndLoadIn30SecondsSmallToolsAreSmall() {
        assertThat(dynamic.models()).contains(
                entry(QWEN, new ModelSpec(QWEN, 66, 30)),
                entry(DEEPSEEK, new ModelSpec(DEEPSEEK, 66, 30)),
                entry(VL, new ModelSpec(VL, 66, 30)));
        dynamic.models().values().stream().filter(m -> m.memoryGb() < 66).forEach(model -> {
            assertThat(model.memoryGb()).as(model.name()).isBetween(4.0, 15.0);
            assertThat(model.loadSeconds()).as(model.name()).isBetween(0.0, 2.0);
        });
    }

    @Test
    void fourteenTypesWithThePapersTaskCountsPerResourceClass() {
        assertThat(dynamic.types()).extracting(WorkloadType::name).containsExactlyElementsOf(COUNTS.keySet());
        for (WorkloadType type : dynamic.types()) {
            Map<String, Integer> counts = new HashMap<>();
            type.spec().tasks().forEach(t -> counts.merge(t.resources().resourceClass(), 1, Integer::sum));
            List<Integer> expected = COUNTS.get(type.name());
            assertThat(List.of(counts.getOrDefault("cpu", 0), counts.getOrDefault("gpu", 0), counts.getOrDefault("io", 0)))
                    .as("cpu, gpu, io tasks of %s", type.name()).isEqualTo(expected);
        }
    }

    @Test
    void each32bCallUsesTheModelTheWorkflowCodeNamesAndOtherGpuTasksAreSmallTools() {
        for (WorkloadType type : dynamic.types()) {
            List<String> calls = type.spec().tasks().stream().filter(WorkloadMazeDynamicTest::is32b)
                    .map(t -> t.resources().model()).toList();
            assertThat(calls).as("32B calls of %s", type.name()).isEqualTo(CALLS.get(type.name()));
            for (TaskSpec task : type.spec().tasks()) {
                if (is32b(task)) {
                    assertThat(task.resources().wholeGpus()).as(task.id()).isTrue();
                    assertThat(task.inputs().get("duration").get("mean").asDouble()).isEqualTo(92.9);
                    assertThat(task.inputs().get("duration").get("p95").asDouble()).isEqualTo(135.2);
                } else if (task.resources().resourceClass().equals("gpu")) {
                    assertThat(task.resources().gpuMemoryGb()).as("%s.%s", type.name(), task.id()).isBetween(4.0, 15.0);
                    assertThat(task.inputs().get("duration").get("mean").asDouble()).isEqualTo(5.4);
                    assertThat(task.inputs().get("duration").get("p95").asDouble()).isEqualTo(9.1);
                } else if (task.resources().resourceClass().equals("cpu")) {
                    assertThat(task.inputs().get("duration").get("mean").asDouble()).isEqualTo(0.14);
                } else {
                    assertThat(task.inputs().get("duration").get("seconds").asDouble()).isEqualTo(0.01);
                }
            }
        }
    }

    @Test
    void theMixFollowsThePoolAndGivesTheStatedShareOfCallsPerModel() {
        assertThat(dynamic.types()).allSatisfy(t -> assertThat(t.weight()).as(t.name()).isEqualTo(WEIGHTS.get(t.name())));
        assertThat(dynamic.types().stream().mapToDouble(WorkloadType::weight).sum()).isCloseTo(938, within(0.01));
        Map<String, Double> calls = new HashMap<>();
        double total = 0;
        for (WorkloadType type : dynamic.types()) {
            for (TaskSpec task : type.spec().tasks()) {
                if (is32b(task)) {
                    calls.merge(task.resources().model(), type.weight(), Double::sum);
                    total += type.weight();
                }
            }
        }
        // "about 68% of calls use Qwen2.5-VL-32B, 29% Qwen3-32B, 3% DeepSeek"
        assertThat(calls.get(VL) / total).isCloseTo(0.68, within(0.005));
        assertThat(calls.get(QWEN) / total).isCloseTo(0.29, within(0.005));
        assertThat(calls.get(DEEPSEEK) / total).isCloseTo(0.03, within(0.005));
    }

    @Test
    void shapesFanOutAndBackInToOneFinalTask() {
        TaskSpec fuse = dynamic.type("gaia_file").orElseThrow().spec().tasks().get(3);
        assertThat(fuse.id()).isEqualTo("llm_fuse");
        assertThat(fuse.dependsOn()).containsExactly("llm_qwen", "llm_deepseek");
        assertThat(dynamic.type("gaia_file").orElseThrow().spec().tasks())
                .filteredOn(t -> t.dependsOn().equals(List.of("file_process"))).extracting(TaskSpec::id)
                .containsExactly("llm_qwen", "llm_deepseek");
        for (WorkloadType type : dynamic.types()) {
            List<TaskSpec> tasks = type.spec().tasks();
            Set<String> depended = new HashSet<>();
            tasks.forEach(t -> depended.addAll(t.dependsOn()));
            assertThat(tasks).as("roots of %s", type.name()).filteredOn(t -> t.dependsOn().isEmpty()).hasSize(1);
            assertThat(tasks).as("final tasks of %s", type.name()).filteredOn(t -> !depended.contains(t.id())).hasSize(1);
        }
    }

    @Test
    void fivePoissonPhasesOf600SecondsAtTheRatesOfTheExperiment() {
        assertThat(dynamic.phases()).extracting(Phase::startSeconds).containsExactly(0.0, 600.0, 1200.0, 1800.0, 2400.0);
        assertThat(dynamic.phases()).extracting(Phase::endSeconds).containsExactly(600.0, 1200.0, 1800.0, 2400.0, 3000.0);
        double[] factors = {0.5, 0.75, 1.0, 1.25, 0.5};
        for (int p = 0; p < factors.length; p++) {
            assertThat(dynamic.phases().get(p).ratePerSecond()).isCloseTo(factors[p] / 45, within(1e-12));
        }
        assertThat(dynamic.phases().get(3).name()).contains("125%");
        assertThat(dynamic.arrivalProcess().expectedCount()).isCloseTo(53.3, within(0.05));
        double mean = 0;
        for (long seed = 0; seed < 400; seed++) {
            mean += dynamic.arrivals(seed).size() / 400.0;
        }
        assertThat(mean).as("the paper saw 51-53 in 3000 s").isCloseTo(53.3, within(1.5));
    }

    @Test
    void theLoadCostCanBeVariedForThe32bModelsAlone() throws Exception {
        WorkloadDefinition slow = WorkloadParser.parseFile(workloads.resolve("maze-dynamic.yaml"),
                Map.of(WorkloadParser.LOAD_SECONDS, "45", WorkloadParser.ARRIVAL_SCALE, "1.5"));
        for (ModelSpec model : slow.models().values()) {
            double before = dynamic.models().get(model.name()).loadSeconds();
            assertThat(model.loadSeconds()).as(model.name()).isEqualTo(model.memoryGb() == 66 ? 45 : before);
        }
        assertThat(slow.phases().get(3).ratePerSecond()).isCloseTo(1.5 * 1.25 / 45, within(1e-12));
    }

    @Test
    void batch40IsTheSameClusterAndTypesWithFortyWorkflowsAtTimeZero() throws Exception {
        WorkloadDefinition batch = WorkloadParser.parseFile(workloads.resolve("batch-40.yaml"), Map.of());
        assertThat(batch.name()).isEqualTo("batch-40");
        assertThat(batch.nodes()).isEqualTo(dynamic.nodes());
        assertThat(batch.models()).isEqualTo(dynamic.models());
        assertThat(batch.types()).extracting(WorkloadType::name, WorkloadType::weight)
                .isEqualTo(dynamic.types().stream().map(t -> org.assertj.core.groups.Tuple.tuple(t.name(), t.weight())).toList());
        assertThat(batch.types()).extracting(t -> t.spec().tasks())
                .isEqualTo(dynamic.types().stream().map(t -> t.spec().tasks()).toList());
        List<Arrival> arrivals = batch.arrivals(batch.defaultSeed());
        assertThat(arrivals).hasSize(40).allSatisfy(a -> assertThat(a.atSeconds()).isZero());
        assertThat(batch.phases()).hasSize(1);
    }
    @Test
    void theVllmVariantServesFiveCallsPerReplicaWithTheMeasuredVllmTimes() throws Exception {
        WorkloadDefinition vllm = WorkloadParser.parseFile(workloads.resolve("maze-dynamic-vllm.yaml"), Map.of());
        assertThat(vllm.nodes()).isEqualTo(dynamic.nodes());
        assertThat(vllm.arrivals(7)).extracting(Arrival::atSeconds)
                .isEqualTo(dynamic.arrivals(7).stream().map(Arrival::atSeconds).toList());
        for (String model : List.of(QWEN, DEEPSEEK, VL)) {
            assertThat(vllm.models().get(model)).isEqualTo(new ModelSpec(model, 66, 30, 5, 0));
        }
        vllm.types().stream().flatMap(t -> t.spec().tasks().stream())
                .filter(task -> task.resources().model() != null && List.of(QWEN, DEEPSEEK, VL).contains(task.resources().model()))
                .forEach(task -> {
                    assertThat(task.inputs().get("duration").get("mean").asDouble()).isEqualTo(26.8);
                    assertThat(task.inputs().get("duration").get("p95").asDouble()).isEqualTo(45.3);
                });
    }
}
