package dev.maze.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeSpecTest {

    private final NodeSpec node = new NodeSpec("gpu-1", 8, 32,
            List.of(new GpuSpec(0, "A100", 80), new GpuSpec(1, "L4", 24)), Set.of("qwen", "llama"));

    @Test
    void aRequestWithinCapacityFits() {
        assertThat(node.whyNeverFits(new Resources(8, 32, 0, 0, null))).isNull();
        assertThat(node.whyNeverFits(new Resources(1, 1, 2, 0, "qwen"))).as("two whole GPUs").isNull();
        assertThat(node.whyNeverFits(new Resources(1, 1, 1, 80, "llama"))).as("an 80 GB slice of the A100").isNull();
    }

    @Test
    void eachReasonNamesTheResourceTheRequestAndTheCapacity() {
        assertThat(node.whyNeverFits(new Resources(9, 1, 0, 0, null))).isEqualTo("cpu 9.0 > 8.0 cores");
        assertThat(node.whyNeverFits(new Resources(1, 33, 0, 0, null))).isEqualTo("memoryGb 33.0 > 32.0");
        assertThat(node.whyNeverFits(new Resources(1, 1, 3, 0, null))).isEqualTo("gpus 3 > 2");
        assertThat(node.whyNeverFits(new Resources(1, 1, 2, 40, null)))
                .isEqualTo("gpus 2 with gpuMemoryGb 40.0 > 1 GPUs that large");
        assertThat(node.whyNeverFits(new Resources(1, 1, 1, 0, "mistral"))).startsWith("model 'mistral' not among");
        assertThat(node.whyNeverFits(new Resources(16, 64, 1, 0, "mistral")))
                .isEqualTo("cpu 16.0 > 8.0 cores, memoryGb 64.0 > 32.0, model 'mistral' not among " + node.allowedModels());
    }

    @Test
    void ofBuildsIdenticalUnrestrictedGpus() {
        NodeSpec spec = NodeSpec.of("n", 4, 16, 3, 40);
        assertThat(spec.gpus()).extracting(GpuSpec::index).containsExactly(0, 1, 2);
        assertThat(spec.gpus()).extracting(GpuSpec::memoryGb).containsOnly(40.0);
        assertThat(spec.allowedModels()).isEmpty();
        assertThat(spec.whyNeverFits(new Resources(1, 0, 1, 0, "anything"))).isNull();
    }
}
