package dev.maze.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.GpuSpec;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.testing.Choices;
import dev.maze.core.testing.SeededProperty;
import dev.maze.core.node.Resources;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model residency under random sequences of reserve and release on random clusters, with random model catalogs
 * (memory, load cost) and both residency modes. Every call asks for at least its model's weights (a slice of
 * weights plus working memory, or a whole GPU), so a resident model holds exactly its catalog memory and the test
 * can account for GPU memory from the outside.
 */
class ResidencyProperties {

    private static final double EPS = 1e-9;

    /**
     * One step: reserve a call (model index into the catalog, or -1 for a task without a model) on node {@code node},
     * or release the running call chosen by {@code pick}. {@code reversed} lists a multi-GPU call's GPUs in the
     * opposite order of {@link NodeState#fit}'s (which puts GPUs holding the model first): any order is a valid
     * assignment, and the bookkeeping must not depend on it.
     */
    record Step(boolean reserve, int node, int model, boolean wholeGpu, double extraGb, int gpus, boolean reversed, int pick) {}

    record Running(Assignment assignment, Resources resources) {}

    /** What the test sees of one reserve: resident models on the chosen GPUs before and after, and what it reported. */
    record Reserve(Assignment assignment, Resources resources, List<Set<String>> before, List<Set<String>> after,
            List<Double> occupiedBeforeGb, double seconds, long loads) {}

    /** Invariants checked while a sequence replays; each property picks its own. */
    interface Invariant {
        default void afterReserve(Replay replay, Reserve reserve) {}

        default void afterRelease(Replay replay, Running released, List<Set<String>> before) {}

        default void afterEveryStep(Replay replay) {}
    }

    @SeededProperty(tries = 200, seed = 1101)
    void residentModelsNeverHoldMoreMemoryThanTheirGpuHas(long seed) {
        Sample sample = Sample.of(seed);
        new Replay(sample.nodes(), sample.catalog(), sample.residency()).run(sample.steps(), new Invariant() {
            @Override
            public void afterEveryStep(Replay replay) {
                replay.forEachGpu((node, gpu) -> {
                    double capacity = node.spec.gpus().get(gpu).memoryGb();
                    assertThat(replay.occupiedGb(node, gpu)).as("resident models + anonymous calls on %s GPU %s",
                            node.spec.id(), gpu).isLessThanOrEqualTo(capacity + EPS);
                    assertThat(node.gpuModels[gpu].occupiedGb()).as("the GPU's own count agrees")
                            .isCloseTo(replay.occupiedGb(node, gpu), org.assertj.core.api.Assertions.within(1e-6));
                });
            }
        });
    }

    // The state this guards needs three models to meet on one GPU (a running one least recently used, an idle one,
    // and a newcomer that overflows the GPU): rarer than the others, hence more tries.
    @SeededProperty(tries = 1000, seed = 1102)
    void aModelInUseIsNeverEvicted(long seed) {
        Sample sample = Sample.of(seed);
        new Replay(sample.nodes(), sample.catalog(), sample.residency()).run(sample.steps(), new Invariant() {
            @Override
            public void afterEveryStep(Replay replay) {
                for (Running call : replay.running) {
                    if (call.resources().model() == null) {
                        continue;
                    }
                    for (int gpu : call.assignment().gpus()) {
                        assertThat(replay.cluster.node(call.assignment().node()).isResident(gpu, call.resources().model()))
                                .as("%s running on node %s GPU %s", call.resources().model(), call.assignment().node(), gpu)
                                .isTrue();
                    }
                }
            }
        });
    }

    @SeededProperty(tries = 200, seed = 1103)
    void unloadAfterCallKeepsExactlyTheModelsInUseResident(long seed) {
        Sample sample = Sample.of(seed);
        Replay replay = new Replay(sample.nodes(), sample.catalog(), ModelResidency.UNLOAD_AFTER_CALL);
        replay.run(sample.steps(), new Invariant() {
            @Override
            public void afterEveryStep(Replay replay) {
                replay.forEachGpu((node, gpu) -> assertThat(replay.residentOn(node.index, gpu))
                        .as("resident on %s GPU %s", node.spec.id(), gpu).isEqualTo(replay.modelsInUse(node.index, gpu)));
            }
        });
        replay.releaseAll();
        replay.forEachGpu((node, gpu) -> assertThat(replay.residentOn(node.index, gpu)).as("idle cluster").isEmpty());
    }

    @SeededProperty(tries = 200, seed = 1104)
    void aReserveReportsALoadExactlyWhenItsModelWasNotResident(long seed) {
        Sample sample = Sample.of(seed);
        new Replay(sample.nodes(), sample.catalog(), sample.residency()).run(sample.steps(), new Invariant() {
            @Override
            public void afterReserve(Replay replay, Reserve reserve) {
                String model = reserve.resources().model();
                boolean missing = model != null && reserve.before().stream().anyMatch(resident -> !resident.contains(model));
                assertThat(reserve.loads()).as("loads counted for %s (resident before: %s)", model, reserve.before())
                        .isEqualTo(missing ? 1 : 0);
                assertThat(reserve.seconds()).as("load seconds reported for %s", model)
                        .isEqualTo(missing ? replay.cluster.loadSeconds(model) : 0);
            }
        });
    }

    @SeededProperty(tries = 200, seed = 1105)
    void keepEvictsOnlyWhenTheGpuNeedsTheRoom(long seed) {
        Sample sample = Sample.of(seed);
        new Replay(sample.nodes(), sample.catalog(), ModelResidency.KEEP).run(sample.steps(), new Invariant() {
            @Override
            public void afterReserve(Replay replay, Reserve reserve) {
                int[] gpus = reserve.assignment().gpus();
                NodeState node = replay.cluster.node(reserve.assignment().node());
                for (int i = 0; i < gpus.length; i++) {
                    Set<String> evicted = new HashSet<>(reserve.before().get(i));
                    evicted.removeAll(reserve.after().get(i));
                    double capacity = node.spec.gpus().get(gpus[i]).memoryGb();
                    String model = reserve.resources().model();
                    double arriving = model == null ? node.gpuMemoryTaken(gpus[i], reserve.resources())
                            : reserve.before().get(i).contains(model) ? 0 : replay.memoryGb(model);
                    boolean overflows = reserve.occupiedBeforeGb().get(i) + arriving > capacity + EPS;
                    assertThat(!evicted.isEmpty()).as("evicted %s from GPU %s: before %s, arriving %s GB of %s",
                            evicted, gpus[i], reserve.before().get(i), arriving, capacity).isEqualTo(overflows);
                }
            }

            @Override
            public void afterRelease(Replay replay, Running released, List<Set<String>> before) {
                int[] gpus = released.assignment().gpus();
                for (int i = 0; i < gpus.length; i++) {
                    assertThat(replay.residentOn(released.assignment().node(), gpus[i])).as("a release unloads nothing")
                            .isEqualTo(before.get(i));
                }
            }
        });
    }

    /** A cluster and the calls running on it, driven step by step. */
    static final class Replay {
        final ClusterState cluster;
        final List<NodeSpec> nodes;
        final List<ModelSpec> catalog;
        final Map<String, ModelSpec> byName = new HashMap<>();
        final List<Running> running = new ArrayList<>();
        double now;

        Replay(List<NodeSpec> nodes, List<ModelSpec> catalog, ModelResidency residency) {
            this.nodes = nodes;
            this.catalog = catalog;
            catalog.forEach(model -> byName.put(model.name(), model));
            this.cluster = new ClusterState(nodes, byName, residency);
        }

        void run(List<Step> steps, Invariant invariant) {
            for (Step step : steps) {
                now += 1;
                if (step.reserve()) {
                    reserve(step, invariant);
                } else if (!running.isEmpty()) {
                    release(running.remove(step.pick() % running.size()), invariant);
                }
                invariant.afterEveryStep(this);
            }
        }

        void releaseAll() {
            while (!running.isEmpty()) {
                now += 1;
                release(running.remove(running.size() - 1), new Invariant() {});
            }
        }

        private void reserve(Step step, Invariant invariant) {
            ModelSpec model = step.model() < 0 ? null : catalog.get(step.model() % catalog.size());
            double sliceGb = (model == null ? 0 : model.memoryGb()) + step.extraGb();
            Resources resources = new Resources(0, 0, step.gpus(), step.wholeGpu() ? 0 : sliceGb,
                    model == null ? null : model.name());
            int nodeIndex = step.node() % nodes.size();
            NodeState node = cluster.node(nodeIndex);
            int[] gpus = node.fit(resources, null);
            if (gpus == null) {
                return;
            }
            if (step.reversed()) {
                for (int i = 0, j = gpus.length - 1; i < j; i++, j--) {
                    int swap = gpus[i];
                    gpus[i] = gpus[j];
                    gpus[j] = swap;
                }
            }
            Assignment assignment = new Assignment(nodeIndex, gpus);
            List<Set<String>> before = new ArrayList<>();
            List<Double> occupiedBefore = new ArrayList<>();
            for (int gpu : gpus) {
                before.add(residentOn(nodeIndex, gpu));
                occupiedBefore.add(occupiedGb(node, gpu));
            }
            long loadsBefore = cluster.modelLoads();
            double seconds = cluster.reserve(assignment, resources, now);
            running.add(new Running(assignment, resources));
            List<Set<String>> after = new ArrayList<>();
            for (int gpu : gpus) {
                after.add(residentOn(nodeIndex, gpu));
            }
            invariant.afterReserve(this, new Reserve(assignment, resources, before, after, occupiedBefore, seconds,
                    cluster.modelLoads() - loadsBefore));
        }

        private void release(Running call, Invariant invariant) {
            List<Set<String>> before = new ArrayList<>();
            for (int gpu : call.assignment().gpus()) {
                before.add(residentOn(call.assignment().node(), gpu));
            }
            cluster.release(call.assignment(), call.resources(), now);
            invariant.afterRelease(this, call, before);
        }

        /** Catalog models resident on a GPU. */
        Set<String> residentOn(int node, int gpu) {
            Set<String> resident = new HashSet<>();
            for (ModelSpec model : catalog) {
                if (cluster.node(node).isResident(gpu, model.name())) {
                    resident.add(model.name());
                }
            }
            return resident;
        }

        /** Models of the calls running on a GPU. */
        Set<String> modelsInUse(int node, int gpu) {
            Set<String> models = new HashSet<>();
            for (Running call : onGpu(node, gpu)) {
                if (call.resources().model() != null) {
                    models.add(call.resources().model());
                }
            }
            return models;
        }

        /** Memory of a GPU's resident models (their catalog weights) plus what its running model-less calls take. */
        double occupiedGb(NodeState node, int gpu) {
            double occupied = 0;
            for (String model : residentOn(node.index, gpu)) {
                occupied += memoryGb(model);
            }
            for (Running call : onGpu(node.index, gpu)) {
                if (call.resources().model() == null) {
                    occupied += node.gpuMemoryTaken(gpu, call.resources());
                }
            }
            return occupied;
        }

        double memoryGb(String model) {
            return byName.get(model).memoryGb();
        }

        private List<Running> onGpu(int node, int gpu) {
            return running.stream()
                    .filter(call -> call.assignment().node() == node && Arrays.stream(call.assignment().gpus()).anyMatch(g -> g == gpu))
                    .toList();
        }

        void forEachGpu(java.util.function.BiConsumer<NodeState, Integer> check) {
            for (int i = 0; i < nodes.size(); i++) {
                NodeState node = cluster.node(i);
                for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
                    check.accept(node, gpu);
                }
            }
        }
    }

    /** One case: a cluster, a model catalog, a residency mode (for the properties that do not fix one) and steps. */
    record Sample(List<NodeSpec> nodes, List<ModelSpec> catalog, ModelResidency residency, List<Step> steps) {
        static Sample of(long seed) {
            Choices choices = Choices.of(seed);
            return new Sample(clusters(choices), catalogs(choices), choices.oneOf(ModelResidency.values()),
                    ResidencyProperties.steps(choices));
        }
    }

    static List<NodeSpec> clusters(Choices choices) {
        // Few GPUs, so that calls of several models meet on one GPU and evictions are frequent.
        return choices.listOf(1, 2, () -> {
            List<Double> sizes = choices.listOf(1, 2, () -> choices.oneOf(40.0, 80.0));
            List<GpuSpec> gpus = new ArrayList<>();
            for (int g = 0; g < sizes.size(); g++) {
                gpus.add(new GpuSpec(g, "virtual", sizes.get(g)));
            }
            return new NodeSpec("n", 8, 32, gpus, Set.of());
        });
    }

    /** 2-4 models; every one fits the smallest GPU (40 GB), so a whole-GPU call holds exactly its weights. */
    static List<ModelSpec> catalogs(Choices choices) {
        List<double[]> specs = choices.listOf(2, 4,
                () -> new double[] {choices.oneOf(10.0, 20.0, 30.0, 40.0), choices.oneOf(0.0, 5.0, 30.0)});
        List<ModelSpec> models = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            models.add(new ModelSpec("m" + i, specs.get(i)[0], specs.get(i)[1]));
        }
        return models;
    }

    static List<Step> steps(Choices choices) {
        return choices.listOf(1, 60, () -> {
            int kind = choices.between(0, 9);
            int node = choices.between(0, 5);
            int model = choices.between(-1, 3);
            int whole = choices.between(0, 9);
            double extra = choices.oneOf(0.0, 5.0, 10.0, 20.0);
            int gpus = choices.between(0, 3);
            boolean reversed = choices.anyBoolean();
            int pick = choices.between(0, 1000);
            return new Step(kind < 6, node, model, whole < 2, model < 0 && extra == 0 ? 10 : extra, gpus == 0 ? 2 : 1,
                    reversed, pick);
        });
    }
}
