package dev.maze.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.GpuSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Filter (what fits now) and score (least loaded, model resident, affinity) of {@link Placement}. */
class PlacementTest {

    private final Placement placement = new Placement();

    private static Placement.Request request(Resources resources) {
        return new Placement.Request(resources, -1, null);
    }

    private static Resources cpu(double cores, double memoryGb) {
        return new Resources(cores, memoryGb, 0, 0, null);
    }

    private static Resources slice(double gpuMemoryGb, String model) {
        return new Resources(1, 0, 1, gpuMemoryGb, model);
    }

    private static Resources wholeGpus(int count, String model) {
        return new Resources(1, 0, count, 0, model);
    }

    /** Places and reserves, as the engine does; returns the assignment (null if nothing fits). */
    private Assignment take(ClusterState cluster, Resources resources) {
        Assignment assignment = placement.place(cluster, request(resources), null);
        if (assignment != null) {
            cluster.reserve(assignment, resources, 0);
        }
        return assignment;
    }

    // ------------------------------------------------------------------ filter

    @Test
    void filtersOnFreeCoresAndMemory() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("small", 2, 64, 0, 0), NodeSpec.of("big", 8, 8, 0, 0)));
        assertThat(take(cluster, cpu(4, 1)).node()).as("only 'big' has 4 cores").isEqualTo(1);
        assertThat(take(cluster, cpu(1, 16)).node()).as("only 'small' has 16 GB").isEqualTo(0);
        assertThat(take(cluster, cpu(4, 1)).node()).isEqualTo(1);
        assertThat(take(cluster, cpu(1, 1)).node()).as("'big' is full now").isEqualTo(0);
        assertThat(take(cluster, cpu(1, 1))).as("every core is taken").isNull();
        assertThat(take(cluster, new Resources(0, 1, 0, 0, null))).as("no core needed: memory is left").isNotNull();
    }

    @Test
    void filtersOnGpuCountAndWholeGpusAreExclusive() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("one", 8, 8, 1, 80), NodeSpec.of("two", 8, 8, 2, 80)));
        Assignment pair = take(cluster, wholeGpus(2, "m"));
        assertThat(pair.node()).isEqualTo(1);
        assertThat(pair.gpus()).containsExactlyInAnyOrder(0, 1);
        assertThat(take(cluster, wholeGpus(2, "m"))).as("no node has two free GPUs now").isNull();
        assertThat(take(cluster, wholeGpus(1, "m")).node()).isEqualTo(0);
        assertThat(take(cluster, wholeGpus(1, "m"))).isNull();
        assertThat(take(cluster, slice(1, "m"))).as("a whole-GPU task leaves no memory for slices").isNull();
    }

    @Test
    void gpuMemorySlicesShareAGpuWhileMemoryLasts() {
        ClusterState cluster = new ClusterState(List.of(new NodeSpec("n", 16, 64,
                List.of(new GpuSpec(0, "L4", 24), new GpuSpec(1, "A100", 80)), Set.of())));
        assertThat(take(cluster, slice(30, "m")).gpus()).as("24 GB is too small").containsExactly(1);
        assertThat(take(cluster, slice(30, "m")).gpus()).containsExactly(1);
        Assignment third = take(cluster, slice(30, "m"));
        assertThat(third).as("20 GB left on the A100, 24 GB on the L4").isNull();
        assertThat(take(cluster, slice(20, "m")).gpus()).as("the A100 already holds model m, and its last 20 GB fit").containsExactly(1);
        assertThat(take(cluster, slice(20, "m")).gpus()).containsExactly(0);
        assertThat(take(cluster, wholeGpus(1, "m"))).as("both GPUs are shared now").isNull();
        assertThat(cluster.node(0).runningTasks()).isEqualTo(4);
    }

    @Test
    void releasingGivesTheMemoryBack() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 16, 64, 1, 80)));
        Resources forty = slice(40, "m");
        Assignment first = take(cluster, forty);
        take(cluster, forty);
        assertThat(take(cluster, forty)).isNull();
        cluster.release(first, forty, 1);
        assertThat(take(cluster, forty)).isNotNull();
        assertThat(cluster.node(0).freeCpu()).isEqualTo(14);
    }

    @Test
    void filtersOnAllowedModels() {
        ClusterState cluster = new ClusterState(List.of(
                new NodeSpec("qwen-only", 8, 8, List.of(new GpuSpec(0, "H100", 80)), Set.of("qwen")),
                NodeSpec.of("any", 8, 8, 1, 80)));
        assertThat(placement.place(cluster, request(wholeGpus(1, "llama")), null).node()).isEqualTo(1);
        assertThat(placement.place(cluster, request(wholeGpus(1, "qwen")), null).node()).as("tie: lowest index").isEqualTo(0);
        assertThat(placement.place(cluster, request(cpu(1, 1)), null).node()).as("no model: any node").isEqualTo(0);
    }

    @Test
    void aModelCallWithoutGpusHonoursAllowedModelsToo() {
        // A model task that needs no GPU (e.g. a remote endpoint) must not land where NodeSpec says it never fits.
        NodeSpec qwenOnly = new NodeSpec("qwen-only", 8, 8, List.of(), Set.of("qwen"));
        ClusterState cluster = new ClusterState(List.of(qwenOnly, NodeSpec.of("any", 8, 8, 0, 0)));
        Resources llamaCall = new Resources(1, 0, 0, 0, "llama");
        assertThat(qwenOnly.whyNeverFits(llamaCall)).isNotNull();
        assertThat(placement.place(cluster, request(llamaCall), null).node()).isEqualTo(1);
    }

    @Test
    void honoursTheNodesARequestIsLimitedTo() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 8, 8, 0, 0), NodeSpec.of("b", 8, 8, 0, 0)));
        BitSet onlyB = new BitSet();
        onlyB.set(1);
        assertThat(placement.place(cluster, new Placement.Request(cpu(1, 1), -1, onlyB), null).node()).isEqualTo(1);
        assertThat(placement.place(cluster, new Placement.Request(cpu(1, 1), -1, new BitSet()), null)).isNull();
    }

    // ------------------------------------------------------------------ score

    @Test
    void prefersTheLeastLoadedNodeAndTheLowestIndexOnTies() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 8, 8, 0, 0), NodeSpec.of("b", 8, 8, 0, 0),
                NodeSpec.of("c", 8, 8, 0, 0)));
        assertThat(take(cluster, cpu(2, 2)).node()).isEqualTo(0);
        assertThat(take(cluster, cpu(2, 2)).node()).isEqualTo(1);
        assertThat(take(cluster, cpu(2, 2)).node()).isEqualTo(2);
        assertThat(take(cluster, cpu(1, 1)).node()).isEqualTo(0);
        assertThat(take(cluster, cpu(1, 1)).node()).as("b and c are now the least loaded").isEqualTo(1);
        assertThat(cluster.node(0).utilisation()).isEqualTo((3 / 8.0 + 3 / 8.0) / 2);
    }

    @Test
    void prefersANodeAndAGpuWhereTheModelIsAlreadyResident() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 8, 8, 2, 80), NodeSpec.of("b", 8, 8, 2, 80)));
        // Load qwen onto b's GPU 1, then free it again: the model stays resident.
        Assignment warmup = new Assignment(1, new int[] {1});
        cluster.reserve(warmup, wholeGpus(1, "qwen"), 0);
        cluster.release(warmup, wholeGpus(1, "qwen"), 1);
        // Make b busier than a: least-loaded alone would pick a.
        cluster.reserve(new Assignment(1, new int[0]), cpu(4, 4), 1);
        assertThat(cluster.node(1).isResident(1, "qwen")).isTrue();

        Assignment qwen = placement.place(cluster, request(wholeGpus(1, "qwen")), null);
        assertThat(qwen.node()).isEqualTo(1);
        assertThat(qwen.gpus()).as("the GPU that holds it, not the lower index").containsExactly(1);
        assertThat(placement.place(cluster, request(wholeGpus(1, "llama")), null).node()).as("not resident anywhere")
                .isEqualTo(0);
    }

    @Test
    void prefersTheWorkflowsPreviousNodeWhenLoadIsSimilar() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 8, 8, 0, 0), NodeSpec.of("b", 8, 8, 0, 0)));
        assertThat(placement.place(cluster, new Placement.Request(cpu(1, 1), 1, null), null).node()).isEqualTo(1);
        cluster.reserve(new Assignment(1, new int[0]), cpu(1, 1), 0);
        assertThat(placement.place(cluster, new Placement.Request(cpu(1, 1), 1, null), null).node())
                .as("slightly busier, but affinity outweighs it").isEqualTo(1);
        cluster.reserve(new Assignment(1, new int[0]), cpu(6, 6), 0);
        assertThat(placement.place(cluster, new Placement.Request(cpu(1, 1), 1, null), null).node())
                .as("much busier: load wins").isEqualTo(0);
    }

    @Test
    void weightsDecideBetweenTheScores() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 8, 8, 0, 0), NodeSpec.of("b", 8, 8, 0, 0)));
        cluster.reserve(new Assignment(1, new int[0]), cpu(7, 7), 0);
        Placement affinityOnly = new Placement(new Placement.Weights(0, 0, 1));
        assertThat(affinityOnly.place(cluster, new Placement.Request(cpu(1, 1), 1, null), null).node()).isEqualTo(1);
        assertThat(placement.place(cluster, new Placement.Request(cpu(1, 1), 1, null), null).node()).isEqualTo(0);
    }

    // ------------------------------------------------------------------ reservation

    @Test
    void reservesTheNodeWhereABlockedTaskIsClosestToFitting() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("tiny", 2, 8, 0, 0), NodeSpec.of("a", 8, 8, 0, 0),
                NodeSpec.of("b", 8, 8, 0, 0)));
        cluster.reserve(new Assignment(1, new int[0]), cpu(6, 0), 0);
        cluster.reserve(new Assignment(2, new int[0]), cpu(3, 0), 0);
        Placement.Request big = request(cpu(6, 0));
        assertThat(placement.place(cluster, big, null)).isNull();
        assertThat(placement.chooseReservation(cluster, big)).as("b misses 1 core, a 4, tiny can never run it").isEqualTo(2);
        assertThat(placement.chooseReservation(cluster, request(cpu(16, 0)))).as("fits no node ever").isEqualTo(-1);
    }

    @Test
    void aClaimHoldsBackWhatTheHeadNeedsButNoMore() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 8, 32, 2, 80)));
        cluster.reserve(new Assignment(0, new int[0]), cpu(4, 0), 0);
        Claim cpuHead = new Claim(0, cpu(3, 16));
        assertThat(placement.place(cluster, request(cpu(1, 16)), cpuHead)).as("4 free - 3 claimed = 1 core").isNotNull();
        assertThat(placement.place(cluster, request(cpu(2, 1)), cpuHead)).isNull();
        assertThat(placement.place(cluster, request(cpu(1, 17)), cpuHead)).as("32 - 16 claimed GB").isNull();
        assertThat(placement.place(cluster, request(slice(10, "m")), cpuHead)).as("the head needs no GPU").isNotNull();

        Claim gpuHead = new Claim(0, wholeGpus(2, "m"));
        assertThat(placement.place(cluster, request(slice(10, "m")), gpuHead)).as("GPUs held for the head").isNull();
        assertThat(placement.place(cluster, request(cpu(1, 1)), gpuHead)).isNotNull();
        assertThat(placement.place(cluster, request(slice(10, "m")), new Claim(1, wholeGpus(2, "m"))))
                .as("a claim elsewhere changes nothing here").isNotNull();
    }

    @Test
    void aTaskNeedingNoCoresOrMemoryFitsEvenWhenTheClaimExceedsWhatIsFree() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 2, 8, 0, 0)));
        cluster.reserve(new Assignment(0, new int[0]), cpu(1, 4), 0);
        Claim head = new Claim(0, cpu(2, 8)); // needs the whole node: 1 core and 4 GB short
        assertThat(placement.place(cluster, request(new Resources(0, 0, 0, 0, null)), head))
                .as("an I/O wait takes nothing the head needs").isNotNull();
        assertThat(placement.place(cluster, request(cpu(0, 1)), head)).isNull();
        assertThat(placement.place(cluster, request(cpu(1, 0)), head)).isNull();
    }
}
