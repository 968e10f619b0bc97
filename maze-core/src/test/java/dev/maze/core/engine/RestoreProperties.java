package dev.maze.core.engine;

import dev.maze.core.clock.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Restore, as a property over random DAGs with random faults (attempts that fail, with and without retries left):
 * cut the journal after any event (a crash, also in the middle of a loop turn's batch), restore an engine from the
 * prefix, resubmit what was not yet accepted (as a client whose submission was not acknowledged would), run to the end.
 * Invariants: every workflow reaches the terminal state the uncut run reaches; no task is recorded FINISHED twice in
 * the whole journal (prefix and what the restored engine added); a task finished in both runs has the same output, and
 * a finished workflow has all of them (outputs are built from predecessors' outputs by templates, so they also prove
 * that restored outputs still resolve).
 */
class RestoreProperties {

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    private record Scenario(List<NodeSpec> nodes, List<WorkflowSpec> workflows) {}

    private record Outcome(Map<String, WorkflowState> states, Map<String, JsonNode> outputs) {}

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aRestoredEngineEndsEveryWorkflowAsAnUncutRunDoes(long seed) throws Exception {
        Scenario scenario = scenario(new SplittableRandom(seed));
        RecordingJournal full = new RecordingJournal();
        Outcome expected = run(scenario, full, null);
        List<StateEvent> log = full.read();
        assertThat(log).as("seed %d", seed).isNotEmpty();
        for (int cut = 0; cut <= log.size(); cut++) {
            List<StateEvent> prefix = log.subList(0, cut);
            RecordingJournal journal = new RecordingJournal(prefix);
            Outcome restored = run(scenario, journal, prefix);
            String where = "seed " + seed + ", journal cut after event " + cut + " of " + log.size();
            assertThat(restored.states()).as(where).isEqualTo(expected.states());
            // Which tasks of a failing workflow finish before the failure cancels the rest depends on timing, which a
            // restart changes; a task that finished in both runs has the same output, and a workflow that finished
            // has every output.
            for (Map.Entry<String, JsonNode> output : restored.outputs().entrySet()) {
                if (expected.outputs().containsKey(output.getKey())) {
                    assertThat(output.getValue()).as(where + ": " + output.getKey())
                            .isEqualTo(expected.outputs().get(output.getKey()));
                }
            }
            for (Map.Entry<String, JsonNode> output : expected.outputs().entrySet()) {
                String workflow = output.getKey().substring(0, output.getKey().indexOf('/'));
                if (expected.states().get(workflow) == WorkflowState.FINISHED) {
                    assertThat(restored.outputs()).as(where).containsEntry(output.getKey(), output.getValue());
                }
            }
            Set<String> finished = new HashSet<>();
            for (StateEvent event : journal.read()) {
                if (event instanceof StateEvent.TaskFinished done) {
                    assertThat(finished.add(done.workflowId() + "/" + done.taskId()))
                            .as(where + ": " + done.workflowId() + "/" + done.taskId() + " finished twice").isTrue();
                }
            }
            assertThat(journal.read()).extracting(StateEvent::sequence).as(where).isSorted().doesNotHaveDuplicates();
        }
    }

    /** Runs the scenario to the end (restoring from {@code prefix} when given); returns states and outputs. */
    private static Outcome run(Scenario scenario, RecordingJournal journal, List<StateEvent> prefix)
            throws ValidationException {
        Engine.Builder builder = Engine.builder().clock(new VirtualClock()).nodes(scenario.nodes()).journal(journal)
                .seed(7);
        if (prefix != null) {
            builder.restore(prefix);
        }
        Engine engine = builder.build();
        Map<String, WorkflowHandle> handles = new LinkedHashMap<>();
        for (WorkflowHandle handle : engine.restored()) {
            handles.put(handle.id(), handle);
        }
        Set<String> accepted = new HashSet<>();
        for (StateEvent event : prefix == null ? List.<StateEvent>of() : prefix) {
            if (event instanceof StateEvent.WorkflowAccepted a) {
                accepted.add(a.workflowId());
            }
        }
        for (WorkflowSpec spec : scenario.workflows()) {
            if (!accepted.contains(spec.id())) {
                handles.put(spec.id(), engine.submit(spec)); // never acknowledged before the crash: the client retries
            }
        }
        engine.runUntilIdle();
        Map<String, WorkflowState> states = new HashMap<>();
        Map<String, JsonNode> outputs = new HashMap<>();
        for (StateEvent event : journal.read()) {
            if (event instanceof StateEvent.WorkflowEnded ended) {
                states.put(ended.workflowId(), ended.state());
            } else if (event instanceof StateEvent.TaskFinished done) {
                outputs.put(done.workflowId() + "/" + done.taskId(), done.output());
            }
        }
        for (WorkflowHandle handle : handles.values()) {
            assertThat(handle.result()).as(handle.id() + " ended").isDone();
        }
        engine.close();
        return new Outcome(states, outputs);
    }

    // ------------------------------------------------------------------ generators

    private static Scenario scenario(SplittableRandom random) {
        List<NodeSpec> nodes = new ArrayList<>();
        int nodeCount = 1 + random.nextInt(3);
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(NodeSpec.of("n" + i, 2 + random.nextInt(3), 16, random.nextInt(3), 80));
        }
        boolean gpus = nodes.stream().anyMatch(n -> !n.gpus().isEmpty());
        List<WorkflowSpec> workflows = new ArrayList<>();
        int workflowCount = 1 + random.nextInt(4);
        for (int w = 0; w < workflowCount; w++) {
            WorkflowBuilder builder = WorkflowBuilder.workflow("wf" + w % 2).id("w" + w);
            int tasks = 1 + random.nextInt(6);
            for (int t = 0; t < tasks; t++) {
                List<String> deps = new ArrayList<>();
                for (int d = 0; d < t; d++) {
                    if (random.nextInt(3) == 0) {
                        deps.add("t" + d);
                    }
                }
                StringBuilder output = new StringBuilder("t" + t + "(");
                for (String dep : deps) {
                    output.append("{{tasks.").append(dep).append(".output.v}}");
                }
                output.append(")");
                int failAttempts = random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0;
                int retries = random.nextInt(3);
                double seconds = random.nextInt(5) * 0.5;
                boolean onGpu = gpus && random.nextBoolean();
                String model = "m" + (t % 2);
                builder.task("t" + t, task -> task.dependsOn(deps.toArray(String[]::new))
                        .resources(onGpu ? new Resources(1, 1, 1, 0, model) : new Resources(1, 1, 0, 0, null))
                        .retries(new RetryPolicy(retries, 0.5, 2, 10))
                        .input("seconds", seconds).input("failAttempts", failAttempts)
                        .input("output", Map.of("v", output.toString())));
            }
            workflows.add(builder.build());
        }
        return new Scenario(nodes, workflows);
    }
}
