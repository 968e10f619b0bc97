package dev.maze.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model residency on GPUs (an LRU cache bounded by GPU memory) and GPU busy time. */
class ClusterStateTest {

    private static final Assignment GPU0 = new Assignment(0, new int[] {0});

    /** Runs a task of {@code model} taking {@code gpuMemoryGb} on GPU 0 from {@code start} to {@code end}. */
    private static void runOn(ClusterState cluster, String model, double gpuMemoryGb, double start, double end) {
        Resources resources = new Resources(1, 0, 1, gpuMemoryGb, model);
        cluster.reserve(GPU0, resources, start);
        cluster.release(GPU0, resources, end);
    }

    private static double residentGb(NodeState node, Map<String, Double> sizes) {
        return sizes.entrySet().stream().filter(e -> node.isResident(0, e.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }

    @Test
    void leastRecentlyUsedModelsAreEvictedSoResidentModelsNeverExceedGpuMemory() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 8, 8, 1, 80)));
        NodeState node = cluster.node(0);
        Map<String, Double> sizes = Map.of("a", 30.0, "b", 30.0, "c", 30.0, "d", 30.0, "big", 70.0);

        runOn(cluster, "a", 30, 0, 1);
        runOn(cluster, "b", 30, 1, 2);
        assertThat(node.isResident(0, "a")).isTrue();
        assertThat(node.isResident(0, "b")).isTrue();

        runOn(cluster, "c", 30, 2, 3); // 90 GB > 80: evict a, the least recently used
        assertThat(node.isResident(0, "a")).isFalse();
        assertThat(node.isResident(0, "b")).isTrue();
        assertThat(node.isResident(0, "c")).isTrue();
        assertThat(residentGb(node, sizes)).isLessThanOrEqualTo(80);

        runOn(cluster, "b", 30, 3, 4); // b used again: c is now the least recently used
        runOn(cluster, "d", 30, 4, 5);
        assertThat(node.isResident(0, "c")).isFalse();
        assertThat(node.isResident(0, "b")).isTrue();
        assertThat(node.isResident(0, "d")).isTrue();
        assertThat(residentGb(node, sizes)).isLessThanOrEqualTo(80);

        runOn(cluster, "big", 70, 5, 6); // needs room for 70 GB: evicts both
        assertThat(node.isResident(0, "big")).isTrue();
        assertThat(node.isResident(0, "b")).isFalse();
        assertThat(node.isResident(0, "d")).isFalse();
        assertThat(residentGb(node, sizes)).isEqualTo(70);
    }

    @Test
    void aWholeGpuTaskLeavesOnlyItsOwnModelResident() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 8, 8, 1, 80)));
        runOn(cluster, "a", 10, 0, 1);
        Resources whole = new Resources(1, 0, 1, 0, "w");
        cluster.reserve(GPU0, whole, 1);
        cluster.release(GPU0, whole, 2);
        assertThat(cluster.node(0).isResident(0, "w")).isTrue();
        assertThat(cluster.node(0).isResident(0, "a")).isFalse();
        assertThat(cluster.node(0).isResident(0, null)).isFalse();
    }

    @Test
    void gpuBusyTimeCountsTimeWithAtLeastOneTaskPerGpu() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 8, 8, 2, 80)));
        Resources slice = new Resources(1, 0, 1, 10, "m");
        assertThat(cluster.gpuCount()).isEqualTo(2);
        cluster.reserve(GPU0, slice, 0);
        cluster.reserve(GPU0, slice, 2);
        assertThat(cluster.gpuBusySeconds(3)).as("busy since 0, still busy").isEqualTo(3);
        cluster.release(GPU0, slice, 4);
        cluster.release(GPU0, slice, 6);
        Assignment gpu1 = new Assignment(0, new int[] {1});
        cluster.reserve(gpu1, slice, 10);
        assertThat(cluster.gpuBusySeconds(11)).as("GPU 0: [0, 6]; GPU 1: [10, 11]").isEqualTo(7);
        cluster.release(gpu1, slice, 12);
        assertThat(cluster.gpuBusySeconds(100)).isEqualTo(8);
    }
}
