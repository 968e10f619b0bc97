package dev.maze.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener;
import dev.maze.core.engine.EventLog;
import dev.maze.core.engine.TaskState;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * DAPS queue order as users see it: the order in which the engine starts tasks on a node with one core, on a
 * virtual clock. Scores are steered through {@code predictedSeconds} (Criticality = predicted / critical path).
 */
class DapsOrderingTest {

    private static final NodeSpec ONE_CORE = NodeSpec.of("n1", 1, 8, 0, 0);
    private static final Resources NO_CORE = new Resources(0, 0, 0, 0, null);

    /**
     * An engine whose listener submits {@code late} when the blocker's "tick" finishes, i.e. at {@code tickSeconds}.
     * The blocker holds the only core for {@code holdSeconds}; "early" (Score 0.01) waits for it from time 0.
     */
    private static EventLog runLateArrival(OrderingPolicy policy, double holdSeconds, double tickSeconds) throws Exception {
        EventLog log = new EventLog();
        AtomicReference<Engine> engineRef = new AtomicReference<>();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(ONE_CORE)).policy(policy).listener(log)
                .listener(new EngineListener() {
                    @Override
                    public void onTaskEvent(TaskEvent event) {
                        if (event.taskId().equals("tick") && event.state() == TaskState.FINISHED) {
                            try {
                                // Score 1.0: its only task is its whole critical path.
                                engineRef.get().submit(WorkflowBuilder.workflow("late").id("late")
                                        .task("l", t -> t.input("seconds", 2).predictedSeconds(1)).build());
                            } catch (ValidationException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                })
                .build();
        engineRef.set(engine);
        engine.submit(WorkflowBuilder.workflow("blocker").id("blocker")
                .task("hold", t -> t.input("seconds", holdSeconds).predictedSeconds(10))
                .task("tick", t -> t.input("seconds", tickSeconds).predictedSeconds(10).resources(NO_CORE))
                .build());
        engine.submit(WorkflowBuilder.workflow("early").id("early")
                // Score 0.01: 1 s of a 100 s critical path (the 0-core "long" task is the rest of it).
                .task("e", t -> t.input("seconds", 2).predictedSeconds(1))
                .task("long", t -> t.input("seconds", 0).predictedSeconds(100).resources(NO_CORE))
                .build());
        engine.runUntilIdle();
        return log;
    }

    @Test
    void submitFirstServesAnEarlierWorkflowBeforeALaterOneWithAHigherScore() throws Exception {
        EventLog log = runLateArrival(new DapsPolicy(), 10, 5);
        assertThat(log.startOf("late", "l")).as("submitted at 5").isGreaterThan(0);
        assertThat(log.startOf("early", "e")).isEqualTo(10.0);
        assertThat(log.startOf("late", "l")).isEqualTo(12.0);
    }

    @Test
    void scoreAgingLetsAMuchHigherScoreOvertakeATaskThatWasReadySlightlyEarlier() throws Exception {
        // keys: early 0 - 0.01*60 = -0.6; late 5 - 1.0*60 = -55: late first.
        EventLog log = runLateArrival(OrderingPolicies.create("daps-aging"), 10, 5);
        assertThat(log.startOf("late", "l")).isEqualTo(10.0);
        assertThat(log.startOf("early", "e")).isEqualTo(12.0);
    }

    @Test
    void scoreAgingStillServesATaskThatHasWaitedLongEnough() throws Exception {
        // late arrives at 100: key 100 - 60 = 40 > -0.6, so the long-waiting low-Score task goes first.
        EventLog log = runLateArrival(OrderingPolicies.create("daps-aging"), 200, 100);
        assertThat(log.startOf("early", "e")).isEqualTo(200.0);
        assertThat(log.startOf("late", "l")).isEqualTo(202.0);
    }

    /**
     * One core held by a blocker until 60 s; "short" (one 1 s task) is submitted at 0 and "long" (a 1 s task before
     * a 0-core 50 s task) at {@code longAt}. Returns the start order of the two 1 s tasks.
     */
    private static List<String> laxityRace(double longAt) throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(ONE_CORE))
                .policy(OrderingPolicies.create("daps-laxity")).listener(log).build();
        engine.submit(WorkflowBuilder.workflow("blocker").id("blocker")
                .task("hold", t -> t.input("seconds", 60).predictedSeconds(60)).build());
        engine.submit(WorkflowBuilder.workflow("short").id("short")
                .task("s", t -> t.input("seconds", 1).predictedSeconds(1)).build());
        engine.submitAt(longAt, WorkflowBuilder.workflow("long").id("long")
                .task("a", t -> t.input("seconds", 1).predictedSeconds(1))
                .task("b", t -> t.dependsOn("a").input("seconds", 50).predictedSeconds(50).resources(NO_CORE))
                .build());
        engine.runUntilIdle();
        return log.startOrder().stream().filter(name -> name.equals("short/s") || name.equals("long/a")).toList();
    }

    @Test
    void laxityServesAYoungerWorkflowWithMoreWorkLeftFirst() throws Exception {
        // keys: short 0 - 1 = -1; long/a 5 - (1 + 50) = -46: long would finish later after its submission, so it goes
        // first when the core frees at 60 s.
        assertThat(laxityRace(5)).containsExactly("long/a", "short/s");
        assertThat(laxityRace(45)).as("key 45 - 51 = -6 < -1").containsExactly("long/a", "short/s");
    }

    @Test
    void laxityLetsNoWorkflowSubmittedAfterTheBoundOvertake() throws Exception {
        // A task's key is its submission time minus its remaining path, so a workflow submitted more than its own
        // remaining path after another's key cannot overtake it: 55 - 51 = 4 > -1. This bounds every wait.
        assertThat(laxityRace(55)).containsExactly("short/s", "long/a");
    }

    @Test
    void amongWorkflowsSubmittedTogetherTheHigherScoreGoesFirst() throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(ONE_CORE)).listener(log).build();
        engine.submitAll(List.of(
                // x: 1 s of a 10 s critical path (Score 0.1)
                WorkflowBuilder.workflow("low").id("low")
                        .task("x", t -> t.input("seconds", 1).predictedSeconds(1))
                        .task("x2", t -> t.dependsOn("x").input("seconds", 1).predictedSeconds(9))
                        .build(),
                // y: its whole critical path (Score 1.0)
                WorkflowBuilder.workflow("high").id("high")
                        .task("y", t -> t.input("seconds", 1).predictedSeconds(1))
                        .build(),
                // z: half of its critical path (Score 0.5)
                WorkflowBuilder.workflow("mid").id("mid")
                        .task("z", t -> t.input("seconds", 1).predictedSeconds(1))
                        .task("z2", t -> t.dependsOn("z").input("seconds", 1).predictedSeconds(1))
                        .build()));
        engine.runUntilIdle();
        // z2 (Score 0.5, ready at 2) keeps its workflow's submission time 0 and so competes with x (Score 0.1) on
        // Score alone: it goes first.
        assertThat(log.startOrder()).containsExactly("high/y", "mid/z", "mid/z2", "low/x", "low/x2");
        assertThat(log.startOf("low", "x")).isEqualTo(3.0);
    }

    @Test
    void urgencyPutsAWorkflowCloseToDoneFirst() throws Exception {
        // Both workflows are submitted together and have the same Criticality for their next task. "nearly" has run
        // 3 of its 4 model calls when "fresh" still has all 4 left: Urgency 0.75 vs 0 once both compete.
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock())
                .nodes(List.of(NodeSpec.of("n1", 1, 8, 1, 80))).listener(log).build();
        WorkflowSpec nearly = WorkflowBuilder.workflow("nearly").id("nearly")
                .task("m1", t -> t.gpu("m").input("seconds", 1).predictedSeconds(1))
                .task("m2", t -> t.gpu("m").dependsOn("m1").input("seconds", 1).predictedSeconds(1))
                .task("m3", t -> t.gpu("m").dependsOn("m2").input("seconds", 1).predictedSeconds(1))
                .task("m4", t -> t.gpu("m").dependsOn("m3").input("seconds", 1).predictedSeconds(1))
                .build();
        WorkflowSpec fresh = WorkflowBuilder.workflow("fresh").id("fresh")
                .task("f1", t -> t.gpu("m").input("seconds", 1).predictedSeconds(1))
                .task("f2", t -> t.gpu("m").dependsOn("f1").input("seconds", 1).predictedSeconds(1))
                .task("f3", t -> t.gpu("m").dependsOn("f2").input("seconds", 1).predictedSeconds(1))
                .task("f4", t -> t.gpu("m").dependsOn("f3").input("seconds", 1).predictedSeconds(1))
                .build();
        engine.submitAll(List.of(nearly, fresh));
        engine.runUntilIdle();
        // Same submission time, so Score decides every time: the workflow that is further along keeps winning.
        assertThat(log.startOrder()).containsExactly("nearly/m1", "nearly/m2", "nearly/m3", "nearly/m4",
                "fresh/f1", "fresh/f2", "fresh/f3", "fresh/f4");
    }

    @Test
    void equalKeysStartInArrivalOrderNotByName() throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(ONE_CORE)).listener(log).build();
        for (String id : List.of("zeta", "beta", "omega", "alpha")) {
            engine.submit(WorkflowBuilder.workflow("same").id(id).task("t", t -> t.input("seconds", 1)).build());
        }
        engine.submit(WorkflowBuilder.workflow("multi").id("multi")
                .task("t3", t -> t.input("seconds", 1))
                .task("t1", t -> t.input("seconds", 1))
                .task("t2", t -> t.input("seconds", 1))
                .build());
        engine.runUntilIdle();
        // Score 1.0 for every task (each is its workflow's whole critical path) and one submission time: ties.
        assertThat(log.startOrder()).containsExactly(
                "zeta/t", "beta/t", "omega/t", "alpha/t", "multi/t3", "multi/t1", "multi/t2");
    }

    @Test
    void theEngineTeachesDapsMaxInferencesAndExpectedDagTime() throws Exception {
        DapsPolicy daps = new DapsPolicy();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 8, 8, 4, 80)))
                .policy(daps).build();
        WorkflowHandle first = engine.submit(WorkflowBuilder.workflow("rag").id("r1")
                .task("a", t -> t.gpu("m").input("seconds", 2))
                .task("b", t -> t.gpu("m").dependsOn("a").input("seconds", 2))
                .build());
        engine.submit(WorkflowBuilder.workflow("agent").id("a1")
                .task("a", t -> t.gpu("m").input("seconds", 1))
                .task("b", t -> t.gpu("m").input("seconds", 1))
                .task("c", t -> t.gpu("m").input("seconds", 1))
                .task("tool", t -> t.input("seconds", 1))
                .build());
        engine.runUntilIdle();
        WorkflowHandle second = engine.submit(WorkflowBuilder.workflow("rag").id("r2")
                .task("a", t -> t.gpu("m").input("seconds", 6))
                .build());
        engine.runUntilIdle();

        assertThat(daps.maxKnownInferences()).isEqualTo(3);
        assertThat(first.result().getNow(null).latencySeconds()).isEqualTo(4.0);
        assertThat(second.result().getNow(null).latencySeconds()).isEqualTo(6.0);
        assertThat(daps.expectedExecutionSeconds("rag", -1)).isEqualTo(5.0);
        assertThat(daps.expectedExecutionSeconds("agent", -1)).isEqualTo(1.0);
    }
}
