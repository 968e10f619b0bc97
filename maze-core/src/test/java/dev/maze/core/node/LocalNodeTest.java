package dev.maze.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalNodeTest {

    @Test
    void parsesAnNvidiaSmiCsvLineWithMemoryInMibToGb() {
        // 81559 MiB = 85.52 GB (decimal), rounded to one decimal.
        assertThat(LocalNode.parseNvidiaSmiLine("0, NVIDIA H100 80GB HBM3, 81559"))
                .isEqualTo(new GpuSpec(0, "NVIDIA H100 80GB HBM3", 85.5));
        assertThat(LocalNode.parseNvidiaSmiLine("3, NVIDIA GeForce RTX 4090, 24564"))
                .isEqualTo(new GpuSpec(3, "NVIDIA GeForce RTX 4090", 25.8));
        assertThat(LocalNode.parseNvidiaSmiLine("  1 ,Tesla T4 ,15360  ")).isEqualTo(new GpuSpec(1, "Tesla T4", 16.1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "index, name, memory.total [MiB]",
            "0, NVIDIA H100, [N/A]",
            "0, NVIDIA H100",
            "0, NVIDIA, H100, 81559",
            "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."})
    void ignoresLinesThatAreNotAGpu(String line) {
        assertThat(LocalNode.parseNvidiaSmiLine(line)).isNull();
    }

    @Test
    void virtualGpusReplaceDetectionSoRunsAreRepeatable() {
        NodeSpec node = LocalNode.detect("here", 2, 24);
        assertThat(node.id()).isEqualTo("here");
        assertThat(node.cpu()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(node.memoryGb()).isPositive();
        assertThat(node.gpus()).containsExactly(new GpuSpec(0, "virtual", 24), new GpuSpec(1, "virtual", 24));
        assertThat(node.allowedModels()).isEmpty();
    }
}
