package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * One tiny scenario per scheduler profile, computed by hand (in the comments) and asserted to the second: which task
 * runs where and when, which call loads its model and which one evicts another. Each scenario is chosen so that the
 * profile's defining behaviour decides the outcome, and where it helps, a contrasting profile is run on the same
 * workload to show that the outcome is the profile's and not the workload's.
 *
 * <p>Common ground for all of them: models {@code a} and {@code b} hold 80 GB and take 30 s to load, so an 80 GB GPU
 * holds one of them; a GPU call ({@code gpu(model)}) takes one whole GPU and one core. A task's record counts the
 * load inside its attempt: {@code finishedAt = startedAt + load + seconds}. The Maze profiles predict with an EMA per
 * resource class that starts at gpu 30 s / cpu 5 s and learns {@code 0.8 * old + 0.2 * observed}, where observed is
 * the attempt's time including its load. DAPS as coded: key (workflow submission time, -Score), Score = 2 * (1 -
 * remaining inferences / max_known_inferences) + predicted / expected_dag_time, where max_known_inferences starts at 10
 * (none of these workflows has more) and expected_dag_time at 300 s for every workflow name.
 */
class ProfileScenarioTest {

    private static final Map<String, ModelSpec> MODELS = Map.of(
            "a", new ModelSpec("a", 80, 30), "b", new ModelSpec("b", 80, 30));

    private static NodeSpec node(String id) {
        return NodeSpec.of(id, 4, 64, 1, 80);
    }

    // ------------------------------------------------------------------ daps

    @Test
    void dapsLoadsOnEveryCallAndItsBlockedGpuHeadHoldsBackLaterGpuTasksWhileCpuTasksGoOn() {
        // One node with two GPUs. w1's call needs both GPUs (tensor parallel) and arrives while w0 holds one.
        Workload workload = workload(List.of(NodeSpec.of("n0", 8, 64, 2, 80)),
                arrival("w0", 0, wf -> wf.task("llm", t -> t.gpu("a").input("seconds", 100))),
                arrival("w1", 10, wf -> wf.task("tp", t -> t.resources(new Resources(1, 0, 2, 0, "b")).input("seconds", 50))),
                arrival("w2", 15, wf -> wf.task("llm", t -> t.gpu("a").input("seconds", 10))),
                arrival("w3", 20, wf -> wf.task("tool", t -> t.input("seconds", 5))),
                arrival("w4", 260, wf -> wf.task("llm", t -> t.gpu("a").input("seconds", 10))));
        SimulationResult daps = Simulation.run(workload, "daps", 1);

        // w0 at 0: GPU 0, loads a 0-30, runs 30-130.
        assertTask(daps, "w0", "llm", "n0", 0, 30, 130);
        // w1 at 10 needs 2 GPUs, only GPU 1 is free: it fits nowhere and blocks the gpu queue. w2 at 15 would fit on
        // idle GPU 1 but waits behind it; w3's CPU task at 20 is not blocked and runs 20-25.
        assertTask(daps, "w3", "tool", "n0", 20, 0, 25);
        // At 130 w0 ends and unloads a; w1 takes both GPUs, loads b on each 130-160, runs 160-210.
        assertTask(daps, "w1", "tp", "n0", 130, 30, 210);
        // At 210 w1 ends (b unloaded from both); w2 loads a again 210-240, runs 240-250: GPU 1 idled 15-130.
        assertTask(daps, "w2", "llm", "n0", 210, 30, 250);
        // At 260 the idle GPU 0 last ran a (w2, until 250), but the Hugging Face backend freed it: load again.
        assertTask(daps, "w4", "llm", "n0", 260, 30, 300);
        assertThat(daps.modelLoads()).isEqualTo(4);
        assertThat(daps.modelLoadSeconds()).as("w1 loads b on two GPUs").isEqualTo(30 + 60 + 30 + 30);

        // The same workload warm: w4 finds a still resident on the GPU w2 left it on and runs 260-270.
        assertTask(Simulation.run(workload, "daps-warm", 1), "w4", "llm", "n0", 260, 0, 270);
    }

    @Test
    void dapsRunsTheTaskWithTheHigherScoreFirst() {
        // Two ready calls of one workflow on one GPU: same submission time and urgency (2 of 2 inferences left, max
        // 10: 2 * 0.8 = 1.6), so criticality decides: x predicts 10 s (1.6 + 10/300 = 1.633), y 200 s (1.6 + 200/300
        // = 2.267). y is listed second, so arrival order alone would run x first.
        Workload workload = workload(List.of(node("n0")),
                arrival("w", 0, wf -> wf
                        .task("x", t -> t.gpu("a").predictedSeconds(10).input("seconds", 10))
                        .task("y", t -> t.gpu("a").predictedSeconds(200).input("seconds", 20))));
        SimulationResult daps = Simulation.run(workload, "daps", 1);
        // y: load 0-30, run 30-50; x: a unloaded after y, so load 50-80, run 80-90.
        assertTask(daps, "w", "y", "n0", 0, 30, 50);
        assertTask(daps, "w", "x", "n0", 50, 30, 90);

        // FCFS ignores the score: both became ready at 0, x first by arrival. x 0-40, y 40-90.
        SimulationResult fcfs = Simulation.run(workload, "fcfs", 1);
        assertTask(fcfs, "w", "x", "n0", 0, 30, 40);
        assertTask(fcfs, "w", "y", "n0", 40, 30, 90);
    }

    // ------------------------------------------------------------------ daps-warm

    @Test
    void dapsWarmReusesAResidentModelButLeastLoadedPlacementEvictsOneItCouldHaveUsed() {
        Workload workload = workload(List.of(node("n0"), node("n1")),
                call("w1", 0, "a", 50), call("w2", 0, "b", 50), call("w3", 100, "a", 10), call("w4", 200, "b", 10));
        SimulationResult warm = Simulation.run(workload, "daps-warm", 1);

        // At 0: equal keys, w1 first by arrival; both nodes idle (utilisation 0), ties go to n0. w2 then finds n0's
        // GPU taken and goes to n1. Both load 0-30 and run 30-80; a stays on n0, b on n1.
        assertTask(warm, "w1", "llm", "n0", 0, 30, 80);
        assertTask(warm, "w2", "llm", "n1", 0, 30, 80);
        // At 100 both idle: n0 by the tie, and a is still there: no load, 100-110.
        assertTask(warm, "w3", "llm", "n0", 100, 0, 110);
        // At 200 both idle again: n0 by the tie, though n1 holds b. b evicts a and loads 200-230, runs 230-240.
        assertTask(warm, "w4", "llm", "n0", 200, 30, 240);
        assertThat(warm.modelLoads()).isEqualTo(3);

        // daps, the same scheduler without residency, loads for w3 too: 100-130 load, run 130-140.
        assertTask(Simulation.run(workload, "daps", 1), "w3", "llm", "n0", 100, 30, 140);
    }

    // ------------------------------------------------------------------ fcfs

    @Test
    void fcfsServesGpuCallsInTheOrderTheyBecameReadyNotByWorkflowSubmission() {
        Workload workload = workload(List.of(node("n0")),
                call("w0", 0, "a", 40),
                arrival("w1", 1, wf -> wf
                        .task("prep", t -> t.input("seconds", 20))
                        .task("llm", t -> t.dependsOn("prep").gpu("b").input("seconds", 10))),
                call("w2", 10, "a", 10));
        SimulationResult fcfs = Simulation.run(workload, "fcfs", 1);

        // w0 loads a 0-30, runs 30-70. w1 (submitted at 1) preps 1-21, so its call is ready at 21; w2's call (submitted
        // at 10) is ready at 10. When the GPU frees at 70, w2 goes first: a was unloaded after w0, so it loads again
        // 70-100 and runs 100-110. Then w1's call loads b 110-140 and runs 140-150.
        assertTask(fcfs, "w0", "llm", "n0", 0, 30, 70);
        assertTask(fcfs, "w1", "prep", "n0", 1, 0, 21);
        assertTask(fcfs, "w2", "llm", "n0", 70, 30, 110);
        assertTask(fcfs, "w1", "llm", "n0", 110, 30, 150);
        assertThat(fcfs.modelLoads()).isEqualTo(3);

        // daps orders by submission: w1 (1) before w2 (10), the reverse.
        SimulationResult daps = Simulation.run(workload, "daps", 1);
        assertTask(daps, "w1", "llm", "n0", 70, 30, 110);
        assertTask(daps, "w2", "llm", "n0", 110, 30, 150);
    }

    // ------------------------------------------------------------------ hacs

    @Test
    void hacsOrdersByAncestorsOverPredictedTimeFixedWhenTheTaskBecameReady() {
        // HACS as coded: key -ancestors / predicted, computed once when the task becomes ready, with the EMA's gpu
        // estimate at that moment; roots score 0 and go last.
        Workload workload = workload(List.of(node("n0")),
                call("w0", 0, "a", 190),
                arrival("x", 1, wf -> wf
                        .task("c", t -> t.input("seconds", 4))
                        .task("llm", t -> t.dependsOn("c").gpu("a").input("seconds", 10))),
                arrival("z", 2, wf -> wf
                        .task("c1", t -> t.input("seconds", 2))
                        .task("c2", t -> t.dependsOn("c1").input("seconds", 2))
                        .task("c3", t -> t.dependsOn("c2").input("seconds", 2))
                        .task("llm", t -> t.dependsOn("c3").gpu("b").input("seconds", 10))),
                arrival("y", 225, wf -> wf
                        .task("c1", t -> t.input("seconds", 2))
                        .task("c2", t -> t.dependsOn("c1").input("seconds", 2))
                        .task("llm", t -> t.dependsOn("c2").gpu("b").input("seconds", 10))));
        SimulationResult hacs = Simulation.run(workload, "hacs", 1);

        // w0 loads a 0-30, runs 30-220. x's call is ready at 5 with 1 ancestor and the initial gpu estimate 30 s:
        // score 1/30 = 0.033. z's call is ready at 8 (three 2 s steps from 2) with 3 ancestors: 3/30 = 0.1.
        assertTask(hacs, "w0", "llm", "n0", 0, 30, 220);
        assertTask(hacs, "x", "c", "n0", 1, 0, 5);
        assertTask(hacs, "z", "c3", "n0", 6, 0, 8);
        // At 220 the EMA learns w0's 190 s run (its load is placement's cost, not the task's): 0.8 * 30 + 0.2 * 190 =
        // 62. z (0.1) beats x (0.033) though submitted later: z loads b 220-250 and runs 250-260.
        assertTask(hacs, "z", "llm", "n0", 220, 30, 260);
        // y's call is ready at 229 with 2 ancestors and the learnt estimate 62 s: 2/62 = 0.032 < x's 0.033, so x goes
        // first at 260 (load a 260-290, run 290-300), then y (load b 300-330, run 330-340). Without the learning y's
        // 2/30 would have beaten x.
        assertTask(hacs, "y", "c2", "n0", 227, 0, 229);
        assertTask(hacs, "x", "llm", "n0", 260, 30, 300);
        assertTask(hacs, "y", "llm", "n0", 300, 30, 340);
        assertThat(hacs.modelLoads()).isEqualTo(4);

        // daps serves by submission: x (1) takes the GPU at 220.
        assertTask(Simulation.run(workload, "daps", 1), "x", "llm", "n0", 220, 30, 260);
    }

    // ------------------------------------------------------------------ mars-placement

    @Test
    void marsPlacementPutsACallWhereItsModelIsOrWhereALoadEvictsNothingStillNeeded() {
        Workload workload = workload(List.of(node("n0"), node("n1"), node("n2")),
                call("w1", 0, "a", 50), call("w2", 1, "b", 50),
                arrival("w3", 100, wf -> wf
                        .task("prep", t -> t.input("seconds", 20))
                        .task("llm", t -> t.dependsOn("prep").gpu("b").input("seconds", 10))),
                call("w4", 101, "a", 60), call("w5", 105, "a", 10),
                call("w6", 200, "a", 100), call("w7", 201, "a", 100), call("w8", 202, "a", 10));
        SimulationResult mars = Simulation.run(workload, "mars-placement", 1);

        // Cost of a GPU = 0 if it holds the model, else 30 s load + for each idle model the load would evict, 30 s x
        // active tasks still calling it / resident copies; ties to the least loaded, then the lowest index.
        // w1 at 0: all cost 30, n0: load a 0-30, run 30-80. w2 at 1: n0 busy, n1 and n2 cost 30: n1, load b 1-31, run
        // 31-81. The gpu EMA learns 80 twice: 40, then 48.
        assertTask(mars, "w1", "llm", "n0", 0, 30, 80);
        assertTask(mars, "w2", "llm", "n1", 1, 30, 81);
        // w3 at 100: its CPU prep goes to the least loaded node, n0 (all idle): 100-120. From now on one active task
        // (w3's call) needs b.
        assertTask(mars, "w3", "prep", "n0", 100, 0, 120);
        // w4 at 101: n0 holds a (cost 0): no load, 101-161; predicted to end at 101 + 48 = 149.
        assertTask(mars, "w4", "llm", "n0", 101, 0, 161);
        // w5 at 105: n0 busy; n1 would evict b, still needed by w3: 30 + 30 x 1/1 = 60; n2 is empty: 30. No waiting
        // for n0 either (predicted free at 149, after a load on n2 would end at 135). n2: load a 105-135, run -145.
        assertTask(mars, "w5", "llm", "n2", 105, 30, 145);
        // w3's call at 120 finds b on idle n1: no load, 120-130.
        assertTask(mars, "w3", "llm", "n1", 120, 0, 130);
        // The EMA learns 10 (130), 40 (145), 60 (161): 40.4, 40.32, 44.256. w6 at 200: n0 and n2 hold a, both idle:
        // n0, 200-300 without a load (predicted end 244.256). w7 at 201: n2 holds a: 201-301 (predicted 245.256).
        assertTask(mars, "w6", "llm", "n0", 200, 0, 300);
        assertTask(mars, "w7", "llm", "n2", 201, 0, 301);
        // w8 at 202: both copies of a are busy and predicted to free after 202 + 30, so waiting is not worth it; n1
        // holds b, which nobody needs any more: evict b, load a 202-232, run 232-242.
        assertTask(mars, "w8", "llm", "n1", 202, 30, 242);
        assertThat(mars.modelLoads()).isEqualTo(4);

        // daps-warm's least-loaded placement ignores residency: w4 at 101 avoids n0 (busier by w3's prep) and goes to
        // n1, evicting b: load a 101-131, run 131-191.
        SimulationResult warm = Simulation.run(workload, "daps-warm", 1);
        assertTask(warm, "w4", "llm", "n1", 101, 30, 191);
        assertThat(warm.modelLoads()).isGreaterThan(mars.modelLoads());
    }

    // ------------------------------------------------------------------ mars

    @Test
    void marsWaitsForTheBusyGpuThatHoldsTheModelButNeverLongerThanOneLoad() {
        Workload workload = workload(List.of(node("n0"), node("n1")),
                call("w1", 0, "a", 50), call("w2", 1, "b", 50), call("w3", 100, "a", 40), call("w4", 120, "a", 10),
                call("w5", 125, "b", 10), call("w6", 200, "b", 100), call("w7", 210, "b", 10));
        SimulationResult mars = Simulation.run(workload, "mars", 1);

        // w1: n0, load a 0-30, run 30-80. w2: n1, load b 1-31, run 31-81. EMA gpu: 40, then 48.
        assertTask(mars, "w1", "llm", "n0", 0, 30, 80);
        assertTask(mars, "w2", "llm", "n1", 1, 30, 81);
        // w3 at 100: a is on n0: 100-140, predicted to end at 100 + 48 = 148.
        assertTask(mars, "w3", "llm", "n0", 100, 0, 140);
        // w4 at 120: only n1 is free and it lacks a; n0 (holding a) is predicted free at 148 <= 120 + 30: defer (at
        // most until 150). w5 at 125 finds its b on n1: no load, 125-135. At 135 w4 defers again (148 <= 150). At 140
        // n0 frees: w4 runs there without a load, 140-150.
        assertTask(mars, "w5", "llm", "n1", 125, 0, 135);
        assertTask(mars, "w4", "llm", "n0", 140, 0, 150);
        // The EMA learns 10 (135), 40 (140), 10 (150): 40.4, 40.32, 34.256. w6 at 200: b on n1: 200-300, predicted
        // to end at 234.256. w7 at 210: n1 busy, predicted free by 240: defer. At 240 it has waited one load (30 s),
        // the bound: it evicts a on n0 and loads b 240-270, runs 270-280, although n1 is still busy until 300.
        assertTask(mars, "w6", "llm", "n1", 200, 0, 300);
        assertTask(mars, "w7", "llm", "n0", 240, 30, 280);
        assertThat(mars.modelLoads()).isEqualTo(3);

        // daps-warm does not wait: w4 at 120 evicts b on n1 and loads a (120-150, runs -160).
        assertTask(Simulation.run(workload, "daps-warm", 1), "w4", "llm", "n1", 120, 30, 160);
    }

    @Test
    void marsLetsSmallTasksBackfillPastABlockedHeadWhereMarsPlacementBlocksItsClass() {
        // Two nodes of 4 cores, each with one GPU call (1 core) running: a 4-core task fits nowhere until one ends.
        Workload workload = workload(List.of(node("n0"), node("n1")),
                call("w1", 0, "a", 100), call("w2", 1, "b", 100),
                arrival("w3", 10, wf -> wf.task("big", t -> t.resources(new Resources(4, 0, 0, 0, null)).input("seconds", 10))),
                arrival("w4", 20, wf -> wf.task("tool", t -> t.input("seconds", 5))));
        // Both: w1 on n0 (load a 0-30, run -130), w2 on n1 (load b 1-31, run -131); big waits for n0 to empty at 130
        // and runs 130-140.
        SimulationResult mars = Simulation.run(workload, "mars", 1);
        SimulationResult blocking = Simulation.run(workload, "mars-placement", 1);
        for (SimulationResult result : List.of(mars, blocking)) {
            assertTask(result, "w1", "llm", "n0", 0, 30, 130);
            assertTask(result, "w2", "llm", "n1", 1, 30, 131);
            assertTask(result, "w3", "big", "n0", 130, 0, 140);
        }
        // mars: big reserves n0 (both are 1 core short; the first wins) and w4's 1-core tool backfills on n1 at 20.
        assertTask(mars, "w4", "tool", "n1", 20, 0, 25);
        // mars-placement: big blocks the cpu queue; the tool waits until big starts at 130, then takes n1 (n0 is full).
        assertTask(blocking, "w4", "tool", "n1", 130, 0, 135);
    }

    // ------------------------------------------------------------------ ltf

    @Test
    void ltfServesWorkflowsBySubmissionAndWithinOneTheLongestPredictedCallFirst() {
        // One GPU, busy with w0 until 80 (load 0-30, run 30-80). w1 at 5 brings two independent calls, short
        // (predicted 10 s, listed first) and long (predicted 100 s); w2 at 6 one call predicted 500 s.
        Workload workload = workload(List.of(node("n0")),
                call("w0", 0, "a", 50),
                arrival("w1", 5, wf -> wf
                        .task("short", t -> t.gpu("a").predictedSeconds(10).input("seconds", 10))
                        .task("long", t -> t.gpu("b").predictedSeconds(100).input("seconds", 20))),
                arrival("w2", 6, wf -> wf.task("huge", t -> t.gpu("a").predictedSeconds(500).input("seconds", 10))));
        SimulationResult ltf = Simulation.run(workload, "ltf", 1);

        assertTask(ltf, "w0", "llm", "n0", 0, 30, 80);
        // At 80 the gpu queue holds w1/short (5, -10), w1/long (5, -100), w2/huge (6, -500): w1 first (submitted
        // first), its longer call first. Every call loads (Hugging Face backend): long 80-110 load b, run 110-130.
        assertTask(ltf, "w1", "long", "n0", 80, 30, 130);
        // Then w1/short: load a 130-160, run 160-170; w2/huge last, though predicted longest: load 170-200, run 200-210.
        assertTask(ltf, "w1", "short", "n0", 130, 30, 170);
        assertTask(ltf, "w2", "huge", "n0", 170, 30, 210);
        assertThat(ltf.modelLoads()).isEqualTo(4);

        // FCFS ignores predictions: short (ready at 5, listed first), long, then huge.
        SimulationResult fcfs = Simulation.run(workload, "fcfs", 1);
        assertTask(fcfs, "w1", "short", "n0", 80, 30, 120);
        assertTask(fcfs, "w1", "long", "n0", 120, 30, 170);
        assertTask(fcfs, "w2", "huge", "n0", 170, 30, 210);
        // Longest first across workflows (ltf:order=longest): huge 80-120, long 120-170, short 170-210.
        SimulationResult longest = Simulation.run(workload, "ltf:order=longest", 1);
        assertTask(longest, "w2", "huge", "n0", 80, 30, 120);
        assertTask(longest, "w1", "long", "n0", 120, 30, 170);
        assertTask(longest, "w1", "short", "n0", 170, 30, 210);
    }

    // ------------------------------------------------------------------ agent

    @Test
    void agentHasOneAgentPerTypeSoWorkflowsOfOneTypeRunOneAfterTheOtherWhileANodeIdles() {
        // Type rag: search (CPU) and draft (a) are independent, judge (b) needs both. Agents keep models loaded.
        Workload workload = workload(List.of(node("n0"), node("n1")),
                rag("w1", 0, 60), rag("w2", 1, 20), rag("w3", 20, 20));
        SimulationResult agent = Simulation.run(workload, "agent", 1);

        // One agent for type rag (the first type's agent lives on n0): w1, w2 and w3 all go to it, in arrival order.
        // w1, one task at a time in topological order: search 0-10; draft 10-40 load a, run 40-100 (not in parallel
        // with search); judge 100-130 load b (evicting a), run 130-140.
        assertTask(agent, "w1", "search", "n0", 0, 0, 10);
        assertTask(agent, "w1", "draft", "n0", 10, 30, 100);
        assertTask(agent, "w1", "judge", "n0", 100, 30, 140);
        // w2 waits for the agent until 140, although n1 is idle all along: search 140-150; draft: b evicted a, so load a
        // 150-180, run 180-200; judge: load b 200-230, run 230-240.
        assertTask(agent, "w2", "search", "n0", 140, 0, 150);
        assertTask(agent, "w2", "draft", "n0", 150, 30, 200);
        assertTask(agent, "w2", "judge", "n0", 200, 30, 240);
        // w3 the same from 240: search 240-250, draft 250-280 load, run to 300, judge 300-330 load, run to 340.
        assertTask(agent, "w3", "search", "n0", 240, 0, 250);
        assertTask(agent, "w3", "draft", "n0", 250, 30, 300);
        assertTask(agent, "w3", "judge", "n0", 300, 30, 340);
        assertThat(agent.workflows()).extracting(w -> w.id() + " " + w.latencySeconds())
                .containsExactly("w1 140.0", "w2 239.0", "w3 320.0");
        assertThat(agent.tasks()).as("n1 is never used").allMatch(t -> t.node().equals("n0"));
        assertThat(agent.modelLoads()).isEqualTo(6);
    }

    @Test
    void agentWithOneAgentPerNodeRunsAWorkflowsTasksOneAtATimeOnItsAgentsNodeAndQueuesWorkflowsRoutedToABusyAgent() {
        // The same workload as above.
        Workload workload = workload(List.of(node("n0"), node("n1")),
                rag("w1", 0, 60), rag("w2", 1, 20), rag("w3", 20, 20));
        SimulationResult agent = Simulation.run(workload, "agent:agents=per-node", 1);

        // Two agents of type rag, one per node, served round robin: w1 -> agent 0 (n0), w2 -> agent 1 (n1), w3 ->
        // agent 0 again, busy with w1: w3 waits, although n1 is idle from 101 on.
        // w1 on n0 as above: search 0-10; draft 10-40 load a, run 40-100; judge 100-130 load b, run 130-140.
        assertTask(agent, "w1", "search", "n0", 0, 0, 10);
        assertTask(agent, "w1", "draft", "n0", 10, 30, 100);
        assertTask(agent, "w1", "judge", "n0", 100, 30, 140);
        // w2 on n1: search 1-11; draft 11-41 load a, run 41-61; judge 61-91 load b (evicting a), run 91-101.
        assertTask(agent, "w2", "search", "n1", 1, 0, 11);
        assertTask(agent, "w2", "draft", "n1", 11, 30, 61);
        assertTask(agent, "w2", "judge", "n1", 61, 30, 101);
        // w3 starts when agent 0 frees at 140: search 140-150; draft: b evicted a, so load a 150-180 (evicting b), run
        // 180-200; judge: load b 200-230, run 230-240. Its latency counts from its submission at 20.
        assertTask(agent, "w3", "search", "n0", 140, 0, 150);
        assertTask(agent, "w3", "draft", "n0", 150, 30, 200);
        assertTask(agent, "w3", "judge", "n0", 200, 30, 240);
        assertThat(agent.workflows()).filteredOn(w -> w.id().equals("w3")).singleElement()
                .satisfies(w -> assertThat(w.latencySeconds()).isEqualTo(220));
        assertThat(agent.modelLoads()).isEqualTo(6);
        // agents=2 on two nodes is the same pool.
        assertThat(Simulation.run(workload, "agent:agents=2", 1).tasks()).isEqualTo(agent.tasks());
    }

    /** search (CPU, 10 s) and draft (a, {@code draftSeconds}) in parallel, then judge (b, 10 s). */
    private static Arrival rag(String id, double at, double draftSeconds) {
        return arrival(id, at, "rag", wf -> wf
                .task("search", t -> t.input("seconds", 10))
                .task("draft", t -> t.gpu("a").input("seconds", draftSeconds))
                .task("judge", t -> t.dependsOn("search", "draft").gpu("b").input("seconds", 10)));
    }

    // ------------------------------------------------------------------ helpers

    private static Workload workload(List<NodeSpec> nodes, Arrival... arrivals) {
        return new SimulationTest.FixedWorkload(nodes, MODELS, List.of(arrivals));
    }

    /** A workflow of one GPU call {@code llm} of {@code seconds} on {@code model}, named after its model. */
    private static Arrival call(String id, double at, String model, double seconds) {
        return arrival(id, at, "call-" + model, wf -> wf.task("llm", t -> t.gpu(model).input("seconds", seconds)));
    }

    private static Arrival arrival(String id, double at, Consumer<WorkflowBuilder> tasks) {
        return arrival(id, at, "type-" + id, tasks);
    }

    private static Arrival arrival(String id, double at, String type, Consumer<WorkflowBuilder> tasks) {
        WorkflowBuilder builder = WorkflowBuilder.workflow(type).id(id);
        tasks.accept(builder);
        WorkflowSpec spec = builder.build();
        return new Arrival(at, 0, type, spec);
    }

    private static void assertTask(SimulationResult result, String workflowId, String taskId, String node,
            double startedAt, double modelLoadSeconds, double finishedAt) {
        SimulationResult.TaskRecord task = result.tasks().stream()
                .filter(t -> t.workflowId().equals(workflowId) && t.taskId().equals(taskId))
                .findFirst()
                .orElseThrow(() -> new AssertionError(result.profile() + ": " + workflowId + "/" + taskId + " never started"));
        String what = result.profile() + " " + workflowId + "/" + taskId;
        assertThat(task.node()).as(what + " node").isEqualTo(node);
        assertThat(task.startedAt()).as(what + " startedAt").isEqualTo(startedAt);
        assertThat(task.modelLoadSeconds()).as(what + " modelLoadSeconds").isEqualTo(modelLoadSeconds);
        assertThat(task.finishedAt()).as(what + " finishedAt").isEqualTo(finishedAt);
    }
}
