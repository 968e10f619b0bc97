package dev.maze.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model's derived figures, the three model forms, the nodes file, capacity with reservations, infeasibility. */
class PlaceModelTest {

    static final Path EXAMPLES = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/place");

    @TempDir
    Path dir;

    @Test
    void llama3_70bFromItsHuggingFaceConfigHasThePublishedSize() throws IOException {
        LayerModel model = ModelFile.read(EXAMPLES.resolve("llama-3-70b-config.json"));
        assertThat(model.layers()).isEqualTo(80);
        // attention 8192·8192·2 + 2·8192·1024 = 150,994,944; MLP 3·8192·28672 = 704,643,072; norms 16,384
        assertThat(model.layerWeightGb()).isCloseTo(855_654_400 * 2 / 1e9, within(1e-9));
        assertThat(model.layerGflopsPerToken()).isCloseTo(2 * 855_654_400 / 1e9, within(1e-9));
        assertThat(model.embeddingGb()).isCloseTo(128_256.0 * 8192 * 2 / 1e9, within(1e-9));
        assertThat(model.lmHeadGb()).isEqualTo(model.embeddingGb());
        assertThat(model.layerKvKbPerToken()).isCloseTo(2 * 8 * 128 * 2 / 1e3, within(1e-12));
        // 70.55 B parameters: 80 layers, the embedding and the untied LM head
        assertThat(model.totalWeightGb() / 2).isCloseTo(70.55, within(0.01));
    }

    @Test
    void thePerLayerExampleAgreesWithTheConfigItWasWrittenFrom() throws IOException {
        LayerModel perLayer = ModelFile.read(EXAMPLES.resolve("llama-70b.yaml"));
        LayerModel config = ModelFile.read(EXAMPLES.resolve("llama-3-70b-config.json"));
        assertThat(perLayer.layers()).isEqualTo(config.layers());
        assertThat(perLayer.layerWeightGb()).isCloseTo(config.layerWeightGb(), within(0.001));
        assertThat(perLayer.embeddingGb()).isCloseTo(config.embeddingGb(), within(0.01));
    }

    @Test
    void aMixtureOfExpertsHoldsEveryExpertButComputesOnlyThoseATokenRuns() {
        Architecture dense = new Architecture("d", 32, 4096, 32, 8, 128, 14336, 32000, 2, 2, false, 0, 0);
        Architecture moe = new Architecture("m", 32, 4096, 32, 8, 128, 14336, 32000, 2, 2, false, 8, 2);
        double mlp = 3.0 * 4096 * 14336;
        assertThat(moe.layerParameters() - dense.layerParameters()).isCloseTo(7 * mlp + 4096 * 8, within(1.0));
        assertThat(moe.activeLayerParameters() - dense.activeLayerParameters()).isCloseTo(mlp + 4096 * 8, within(1.0));
    }

    @Test
    void capacityReservesTheEmbeddingOnTheFirstStageAndTheLmHeadOnTheLast() {
        LayerModel model = new LayerModel("m", 20, 1, 1.0, 1.5, 2.5, false, 0, 0);
        Node node = Node.of("a", 1, 100, 10);
        assertThat(node.layerCapacity(model, false, false)).isEqualTo(10);
        assertThat(node.layerCapacity(model, true, false)).isEqualTo(8); // 8.5 GB left
        assertThat(node.layerCapacity(model, false, true)).isEqualTo(7); // 7.5 GB left
        assertThat(node.layerCapacity(model, true, true)).isEqualTo(6);  // 6 GB left
        LayerModel tied = new LayerModel("t", 20, 1, 1.0, 2.5, 2.5, true, 0, 0);
        assertThat(node.layerCapacity(tied, true, true)).isEqualTo(7);   // one copy of the tied matrix
        assertThat(node.layerCapacity(tied, true, false)).isEqualTo(7);
        Node shared = new Node("b", 2, 100, 10, 0, Map.of(), 0.6, 0.4, 0, 0, 0);
        assertThat(shared.layerCapacity(model, false, false)).isEqualTo(12); // 2 GPUs × 10 GB × 0.6
    }

    @Test
    void stageTimeIsComputeOnlyWithoutBandwidthTheRooflineWithItAndTheMeasuredFigureWhenGiven() {
        LayerModel model = new LayerModel("m", 4, 2.0, 1.0, 0, 0, false, 0, 0);
        assertThat(Node.of("a", 2, 100, 10).layerMs(model, 1)).isCloseTo(2.0 / 200, within(1e-12));
        Node withBandwidth = new Node("b", 1, 100, 10, 500, Map.of(), 1, 0, 0, 0, 0);
        assertThat(withBandwidth.layerMs(model, 1)).isCloseTo(1000 * 1.0 / 500, within(1e-12)); // memory-bound
        assertThat(withBandwidth.layerMs(model, 1000)).isCloseTo(0.02, within(1e-12)); // batched: compute-bound
        assertThat(withBandwidth.withLayerLatencyMs(0.7).layerMs(model, 1)).isEqualTo(0.7);
    }

    @Test
    void anInfeasibleClusterIsReportedWithTheMissingCapacity() {
        LayerModel model = new LayerModel("big", 10, 1, 2.0, 1, 1, false, 0, 0);
        Problem problem = Problem.of(model, Cluster.of(List.of(Node.of("a", 1, 10, 9), Node.of("b", 1, 10, 9)), 1));
        // a first: (9 - 1) / 2 = 4 layers, b last: 4 layers: 8 of 10
        assertThat(problem.mostLayersOnePipelineHolds()).isEqualTo(8);
        for (LayerAllocator allocator : Allocators.all()) {
            Allocation allocation = allocator.allocate(problem, Objective.THROUGHPUT);
            assertThat(allocation.feasible()).isFalse();
            assertThat(allocation.infeasible()).contains("at most 8").contains("2 layer(s), 4.0 GB").contains("missing");
        }
    }

    @Test
    void theExampleNodesLoadWithTheirDefaultsAndFractions() throws IOException {
        Cluster cluster = NodesFile.read(EXAMPLES.resolve("nodes.yaml"));
        assertThat(cluster.nodes()).extracting(Node::id).containsExactly("a100-80g", "rtx4090-x2", "l40s", "a10-24g");
        Node a100 = cluster.node("a100-80g");
        assertThat(a100.weightMemoryGb()).isCloseTo(68, within(1e-9));
        assertThat(a100.kvCacheMemoryGb()).isCloseTo(12, within(1e-9));
        assertThat(cluster.rttMs(cluster.node("l40s"), a100)).isEqualTo(0.5); // given in the other direction
    }

    @Test
    void badModelFilesAreRefusedNamingTheFileAndTheField() throws IOException {
        assertRefused("m.yaml", "layers: 4\nlayerGflopsPerToken: 1\nlayerWeightGb: 1\nlayerWieghtGb: 2\n",
                "m.yaml: model: unknown field 'layerWieghtGb'");
        assertRefused("m.yaml", "layers: 4\nlayerGflopsPerToken: -1\nlayerWeightGb: 1\n",
                "m.yaml: model: layerGflopsPerToken must be a number above 0, not -1");
        assertRefused("m.yaml", "layers: 0\nlayerGflopsPerToken: 1\nlayerWeightGb: 1\n",
                "m.yaml: model: layers must be a whole number from 1 to 10000, not 0");
        assertRefused("m.yaml", "layers: 4\nlayerGflopsPerToken: 1\n", "m.yaml: model: layerWeightGb is missing");
        assertRefused("m.yaml", "layers: 4\nhiddenSize: 64\nattentionHeads: 6\nkvHeads: 4\nintermediateSize: 9\n"
                + "vocabulary: 10\n", "m.yaml: kvHeads (4) must divide attentionHeads (6)");
        assertRefused("config.json", "{\"num_hidden_layers\": 2, \"hidden_size\": 8, \"num_attention_heads\": 2, "
                + "\"intermediate_size\": 4, \"vocab_size\": 5, \"torch_dtype\": \"int3\"}",
                "config.json: config: torch_dtype 'int3' is not one of");
        assertRefused("config.json", "{\"num_hidden_layers\": 2, \"hidden_size\": 8}",
                "config.json: config: num_attention_heads is missing");
        assertRefused("x.yaml", "foo: 1\n", "x.yaml: not a model");
        assertRefused("bad.json", "{\"layers\": ", "bad.json: not valid JSON");
    }

    @Test
    void badNodeFilesAreRefusedNamingTheFileTheNodeAndTheField() throws IOException {
        assertNodesRefused("- {id: a, tflops: 1, memoryGb: 8, memoryGB: 9}",
                "n.yaml: node 'a': unknown field 'memoryGB'");
        assertNodesRefused("- {id: a, tflops: 0, memoryGb: 8}", "n.yaml: node 'a': tflops must be a number above 0");
        assertNodesRefused("- {id: a, tflops: 1, memoryGb: 8, weightMemoryFraction: 0.7, kvCacheMemoryFraction: 0.5}",
                "n.yaml: node 'a': weightMemoryFraction (0.7) and kvCacheMemoryFraction (0.5)");
        assertNodesRefused("- {id: a, tflops: 1, memoryGb: 8}\n- {id: b, tflops: 1, memoryGb: 8}",
                "n.yaml: no RTT between nodes 'a' and 'b': give rttMs in either, or defaultRttMs");
        assertNodesRefused("- {id: a, tflops: 1, memoryGb: 8, rttMs: {c: 1}}",
                "n.yaml: node 'a': rttMs names 'c', which is not a node of the cluster");
        assertNodesRefused("- {id: a, tflops: 1, memoryGb: 8, rttMs: {b: -2}}\n- {id: b, tflops: 1, memoryGb: 8}",
                "n.yaml: node 'a': rttMs: b must be a number of 0 or more, not -2");
        assertNodesRefused("- {id: a, tflops: 1, memoryGb: 8}\n- {id: a, tflops: 1, memoryGb: 8}",
                "n.yaml: node 'a' is described twice");
        assertNodesRefused("nodes: []", "n.yaml: nodes must be a non-empty list");
        Path ok = dir.resolve("ok.yaml");
        Files.writeString(ok, "defaultRttMs: 3\nnodes:\n- {id: a, tflops: 1, memoryGb: 8}\n- {id: b, tflops: 1, memoryGb: 8}");
        Cluster cluster = NodesFile.read(ok);
        assertThat(cluster.rttMs(cluster.node("a"), cluster.node("b"))).isEqualTo(3);
    }

    private void assertRefused(String name, String content, String message) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        assertThatThrownBy(() -> ModelFile.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message).hasMessageStartingWith(file.toString());
    }

    private void assertNodesRefused(String content, String message) throws IOException {
        Path file = dir.resolve("n.yaml");
        Files.writeString(file, content);
        assertThatThrownBy(() -> NodesFile.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message.substring("n.yaml: ".length()));
    }
}
