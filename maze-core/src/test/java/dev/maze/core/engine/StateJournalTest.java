package dev.maze.core.engine;

import dev.maze.core.clock.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The journal seam: every state change is a numbered event, batched per loop turn, stored before acceptance. */
class StateJournalTest {

    private static final NodeSpec NODE = NodeSpec.of("n1", 4, 8, 1, 80);

    private static WorkflowSpec chain(String id) {
        return WorkflowBuilder.workflow("chain").id(id)
                .task("a", t -> t.input("seconds", 2))
                .task("b", t -> t.dependsOn("a").input("seconds", 3))
                .build();
    }

    private static Engine engine(StateJournal journal, EventLog log) {
        return Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).journal(journal).listener(log).build();
    }

    @Test
    void everyStateChangeIsANumberedEventInOrder() throws Exception {
        RecordingJournal journal = new RecordingJournal();
        Engine engine = engine(journal, new EventLog());
        WorkflowHandle handle = engine.submit(chain("w"));
        engine.runUntilIdle();

        assertThat(handle.accepted()).isCompleted();
        List<StateEvent> events = journal.read();
        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "WorkflowAccepted", "TaskReady", "TaskStarted", "TaskFinished", "TaskReady", "TaskStarted",
                "TaskFinished", "WorkflowEnded");
        assertThat(events).extracting(StateEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        StateEvent.TaskStarted started = (StateEvent.TaskStarted) events.get(5);
        assertThat(started.taskId()).isEqualTo("b");
        assertThat(started.nodeId()).isEqualTo("n1");
        assertThat(started.atSeconds()).isEqualTo(2.0);
        assertThat(started.attemptId()).isEqualTo(2);
        assertThat(((StateEvent.TaskFinished) events.get(6)).output().path("text").asText()).isEqualTo("output of b");
        assertThat(((StateEvent.WorkflowEnded) events.get(7)).state()).isEqualTo(WorkflowState.FINISHED);
        // Acceptance and the roots' readiness are one turn; each scheduling pass is another.
        assertThat(journal.batches().get(0)).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("WorkflowAccepted", "TaskReady");
    }

    @Test
    void aJournalThatFailsRefusesTheSubmissionAndNothingOfItRuns() throws Exception {
        RecordingJournal journal = new RecordingJournal();
        EventLog log = new EventLog();
        Engine engine = engine(journal, log);
        journal.failing = true;
        WorkflowHandle refused = engine.submit(chain("w"));
        engine.runUntilIdle();

        assertThat(refused.accepted()).isCompletedExceptionally();
        assertThatThrownBy(refused.result()::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StateJournal.JournalException.class)
                .hasMessageContaining("workflow 'w' was not accepted").hasMessageContaining("disk full")
                .hasMessageContaining("submit it again");
        assertThat(journal.read()).isEmpty();
        assertThat(log.all()).as("listeners never saw it").isEmpty();
        assertThat(engine.activeWorkflows().join()).isEmpty();
        assertThat(engine.stats().join().tasksStarted()).isZero();
        assertThat(engine.snapshot("w").join()).isNull();

        // Once the journal works, the same id is free again.
        journal.failing = false;
        WorkflowHandle again = engine.submit(chain("w"));
        engine.runUntilIdle();
        assertThat(again.accepted()).isCompleted();
        assertThat(again.result().join().state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(journal.read().get(0)).isInstanceOf(StateEvent.WorkflowAccepted.class);
    }

    @Test
    void eventsOfRefusedWorkflowsAreNeverStored() throws Exception {
        RecordingJournal journal = new RecordingJournal();
        Engine engine = engine(journal, new EventLog());
        WorkflowHandle first = engine.submit(chain("w1"));
        engine.runUntilIdle();
        long before = journal.read().size();
        journal.failing = true;
        WorkflowHandle second = engine.submit(chain("w2"));
        engine.runUntilIdle();
        journal.failing = false;
        engine.submit(chain("w3"));
        engine.runUntilIdle();

        assertThat(first.result().join().state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(second.accepted()).isCompletedExceptionally();
        List<StateEvent> events = journal.read();
        assertThat(events.subList((int) before, events.size())).filteredOn(e -> e instanceof StateEvent.OfWorkflow w
                && w.workflowId().equals("w2")).isEmpty();
        assertThat(events).extracting(StateEvent::sequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void theInMemoryJournalKeepsOnlyWhatARestoreNeeds() throws Exception {
        InMemoryJournal journal = new InMemoryJournal();
        Engine engine = engine(journal, new EventLog());
        for (int i = 0; i < 50; i++) {
            engine.submit(chain("w" + i));
        }
        engine.runUntilIdle();

        assertThat(journal.appendedCount()).isEqualTo(50 * 8);
        assertThat(journal.activeWorkflows()).isZero();
        assertThat(journal.read()).isEmpty();
    }

    @Test
    void listenersReceiveTheStoredBatchesWithWhatADashboardNeeds() throws Exception {
        RecordingJournal journal = new RecordingJournal();
        List<StateEvent> seen = new java.util.ArrayList<>();
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).journal(journal).listener(log)
                .listener(new EngineListener() {
                    @Override
                    public void onStateEvents(List<StateEvent> batch) {
                        seen.addAll(batch);
                    }
                }).build();
        engine.submit(WorkflowBuilder.workflow("gpu").id("g")
                .task("a", t -> t.input("seconds", 1).resources(new dev.maze.core.node.Resources(1, 1, 1, 0, null)))
                .build());
        engine.runUntilIdle();

        assertThat(seen).isEqualTo(journal.read());
        EngineListener.TaskEvent finished = log.of("g", "a", TaskState.FINISHED).get(0);
        assertThat(finished.gpus()).containsExactly(0);
        assertThat(finished.attemptId()).isPositive();
        assertThat(finished.output().path("text").asText()).isEqualTo("output of a");
    }
}
