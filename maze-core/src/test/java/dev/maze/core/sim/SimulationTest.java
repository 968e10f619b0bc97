package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-checked tiny scenarios: which task runs when, to the second, with model loads and evictions. */
class SimulationTest {

    /** A workload given as a fixed list of arrivals. */
    record FixedWorkload(List<NodeSpec> nodes, Map<String, ModelSpec> models, List<Arrival> fixed) implements Workload {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public List<Phase> phases() {
            return List.of(new Phase("all", 0, Double.POSITIVE_INFINITY, Double.NaN));
        }

        @Override
        public long defaultSeed() {
            return 1;
        }

        @Override
        public List<Arrival> arrivals(long seed) {
            return fixed;
        }
    }

    private static final Map<String, ModelSpec> MODELS = Map.of(
            "a", new ModelSpec("a", 80, 30), "b", new ModelSpec("b", 80, 30));

    /** One GPU call of {@code seconds} on {@code model}. */
    private static Arrival call(String id, double at, String model, double seconds) {
        WorkflowSpec spec = WorkflowBuilder.workflow("call-" + model).id(id)
                .task("llm", t -> t.gpu(model).input("seconds", seconds))
                .build();
        return new Arrival(at, 0, spec.name(), spec);
    }

    private static SimulationResult.TaskRecord task(SimulationResult result, String workflowId) {
        return result.tasks().stream().filter(t -> t.workflowId().equals(workflowId)).findFirst().orElseThrow();
    }

    @Test
    void coldDapsLoadsOnEveryCallWhileWarmReusesTheResidentModel() {
        Workload workload = new FixedWorkload(List.of(NodeSpec.of("n0", 4, 64, 1, 80)), MODELS,
                List.of(call("w1", 0, "a", 100), call("w2", 10, "a", 100), call("w3", 20, "b", 100)));

        SimulationResult cold = Simulation.run(workload, "daps", 1);
        // w1: load 0-30, run 30-130; w2: load 130-160, run -260; w3: load 260-290, run -390.
        assertThat(task(cold, "w1").finishedAt()).isEqualTo(130);
        assertThat(task(cold, "w2").startedAt()).isEqualTo(130);
        assertThat(task(cold, "w2").finishedAt()).isEqualTo(260);
        assertThat(task(cold, "w3").finishedAt()).isEqualTo(390);
        assertThat(cold.modelLoads()).isEqualTo(3);
        assertThat(cold.modelLoadSeconds()).isEqualTo(90);

        SimulationResult warm = Simulation.run(workload, "daps-warm", 1);
        // w2 reuses a (no load): 130-230; w3 evicts a and loads b: 230-260, runs -360.
        assertThat(task(warm, "w2").modelLoadSeconds()).isZero();
        assertThat(task(warm, "w2").finishedAt()).isEqualTo(230);
        assertThat(task(warm, "w3").modelLoadSeconds()).isEqualTo(30);
        assertThat(task(warm, "w3").finishedAt()).isEqualTo(360);
        assertThat(warm.modelLoads()).isEqualTo(2);
        assertThat(warm.gpuBusySeconds()).isEqualTo(360);
    }

    @Test
    void sameWorkloadSeedAndProfileGiveIdenticalResults() {
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int n = i;
            WorkflowSpec spec = WorkflowBuilder.workflow("t" + (i % 3)).id("w" + i)
                    .task("cpu", t -> t.input("duration", Map.of("distribution", "uniform", "min", 1, "max", 5)))
                    .task("llm", t -> t.dependsOn("cpu").gpu(n % 2 == 0 ? "a" : "b")
                            .input("duration", Map.of("distribution", "lognormal", "mean", 60, "p95", 90)))
                    .build();
            arrivals.add(new Arrival(i * 7.0, 0, spec.name(), spec));
        }
        Workload workload = new FixedWorkload(List.of(NodeSpec.of("n0", 4, 64, 1, 80), NodeSpec.of("n1", 4, 64, 1, 80)),
                MODELS, arrivals);
        for (String profile : Simulation.profiles()) {
            SimulationResult first = Simulation.run(workload, profile, 5);
            SimulationResult second = Simulation.run(workload, profile, 5);
            assertThat(second.workflows()).as(profile).isEqualTo(first.workflows());
            assertThat(second.tasks()).as(profile).isEqualTo(first.tasks());
            assertThat(Simulation.run(workload, profile, 6).tasks()).as(profile).isNotEqualTo(first.tasks());
        }
    }
    @Test
    void marsWaitsForTheGpuHoldingTheModelRatherThanEvictingAnother() {
        // Two GPUs: after the first calls, g0 holds a and g1 holds b. At t=100 g1 is free and a call for a arrives;
        // g0 (holding a) frees at t=140, before a 30 s load on g1 would end (t=130 + 100 s run): wait, reuse.
        Workload workload = new FixedWorkload(List.of(NodeSpec.of("n0", 4, 64, 1, 80), NodeSpec.of("n1", 4, 64, 1, 80)),
                MODELS, List.of(call("w1", 0, "a", 110), call("w2", 0, "b", 70), call("w3", 100, "a", 100),
                        call("w4", 105, "b", 50)));
        SimulationResult mars = Simulation.run(workload, "mars", 1);
        // w1: load a 0-30, run 30-140 on n0. w2: load b 0-30, run 30-100 on n1.
        // w3 (a) at 100: n1 is free but holds b; n0 holds a and is predicted free at 140 <= 100 + 30: defer.
        // w4 (b) at 105 takes n1 without a load: 105-155. w3 starts at 140 on n0 without a load: 140-240.
        assertThat(task(mars, "w4").startedAt()).isEqualTo(105);
        assertThat(task(mars, "w4").modelLoadSeconds()).isZero();
        assertThat(task(mars, "w3").startedAt()).isEqualTo(140);
        assertThat(task(mars, "w3").node()).isEqualTo("n0");
        assertThat(task(mars, "w3").modelLoadSeconds()).isZero();
        assertThat(mars.modelLoads()).isEqualTo(2);

        SimulationResult warm = Simulation.run(workload, "daps-warm", 1);
        // daps-warm takes the free GPU at once: w3 evicts b on n1 and loads a (100-230), w4 then loads b on n0.
        assertThat(task(warm, "w3").startedAt()).isEqualTo(100);
        assertThat(task(warm, "w3").modelLoadSeconds()).isEqualTo(30);
        assertThat(warm.modelLoads()).isEqualTo(4);
    }

    @Test
    void marsNeverDefersATaskLongerThanOneLoadOfItsModel() {
        // g0 holds a and stays busy far longer than predicted; the waiting call for a gives up after 30 s and loads on
        // the other GPU (which holds b): it starts at 100 + 30 = 130.
        Workload workload = new FixedWorkload(List.of(NodeSpec.of("n0", 4, 64, 1, 80), NodeSpec.of("n1", 4, 64, 1, 80)),
                MODELS, List.of(call("w1", 0, "a", 1000), call("w2", 0, "b", 70), call("w3", 100, "a", 10)));
        SimulationResult mars = Simulation.run(workload, "mars", 1);
        assertThat(task(mars, "w3").startedAt()).isLessThanOrEqualTo(130);
        assertThat(task(mars, "w3").node()).isEqualTo("n1");
    }
    @Test
    void aLongWorkflowUnderAStreamOfShortOnesFinishesWithinItsBound() {
        // Bound (mars): the long workflow's key (submission 0 minus its remaining path) is below every short one's
        // (arrival minus a path of one call) except those of the first few seconds, so each of its 5 calls waits
        // at most for a GPU to free (a short call: 30 s load + 20 s) plus one deferral (30 s), then runs with at most
        // one load: 5 x (50 + 30 + 30 + 50) = 800 s, whatever the stream does (daps-warm: by submission time).
        List<Arrival> arrivals = new ArrayList<>();
        WorkflowBuilder chain = WorkflowBuilder.workflow("long").id("long");
        for (int i = 0; i < 5; i++) {
            int n = i;
            chain.task("c" + i, t -> {
                t.gpu("b").input("seconds", 50);
                if (n > 0) {
                    t.dependsOn("c" + (n - 1));
                }
            });
        }
        arrivals.add(new Arrival(0, 0, "long", chain.build()));
        for (int i = 1; i <= 300; i++) {
            arrivals.add(call("s" + i, i * 5.0, "a", 20));
        }
        Workload workload = new FixedWorkload(List.of(NodeSpec.of("n0", 4, 64, 1, 80), NodeSpec.of("n1", 4, 64, 1, 80)),
                MODELS, arrivals);
        for (String profile : List.of("mars", "mars-placement", "daps-warm")) {
            SimulationResult result = Simulation.run(workload, profile, 1);
            SimulationResult.WorkflowRecord longOne = result.workflows().get(0);
            assertThat(longOne.id()).isEqualTo("long");
            assertThat(longOne.latencySeconds()).as(profile).isLessThanOrEqualTo(800);
        }
    }
    @Test
    void aModelServerReplicaServesSeveralCallsAtOnceEachSlowerWhenShared() {
        // Model v: one copy serves 2 calls, each 50% slower per other call sharing it when it starts.
        Map<String, ModelSpec> models = Map.of("v", new ModelSpec("v", 80, 30, 2, 0.5));
        Workload workload = new FixedWorkload(List.of(NodeSpec.of("n0", 4, 64, 1, 80)), models,
                List.of(call("c1", 0, "v", 100), call("c2", 0, "v", 100), call("c3", 0, "v", 100)));
        SimulationResult result = Simulation.run(workload, "daps-warm", 1);
        // c1 loads v 0-30 and runs alone 30-130. c2 joins the copy at 0, waits for its load (30 s) and runs
        // 100 x 1.5 = 150 s: 30-180. c3 finds the replica full and starts when c1 ends (130), sharing with c2: 150 s.
        assertThat(task(result, "c1").finishedAt()).isEqualTo(130);
        assertThat(task(result, "c2").startedAt()).isZero();
        assertThat(task(result, "c2").modelLoadSeconds()).isEqualTo(30);
        assertThat(task(result, "c2").finishedAt()).isEqualTo(180);
        assertThat(task(result, "c3").startedAt()).isEqualTo(130);
        assertThat(task(result, "c3").modelLoadSeconds()).isZero();
        assertThat(task(result, "c3").finishedAt()).isEqualTo(280);
        assertThat(result.modelLoads()).isEqualTo(1);
    }
}
