package dev.maze.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.clock.VirtualClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener;
import dev.maze.core.engine.IdGenerator;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.StateJournal.JournalException;
import dev.maze.core.engine.TaskState;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.server.store.ServerJournal.Answer;
import dev.maze.server.store.ServerJournal.WorkflowQuery;
import dev.maze.server.store.ServerJournal.WorkflowRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ServerJournal} store keeps, run against each ({@link SqliteJournalTest}, {@link
 * PostgresJournalTest}): the events as they were, the state a restore needs, the history after a restart, the
 * listing, and the idempotency keys with their acceptance.
 */
abstract class ServerJournalContract {

    static final NodeSpec NODE = NodeSpec.of("n1", 8, 32, 1, 80);

    /** Opens this test's store: the same one on every call within a test, empty at its start. */
    abstract ServerJournal open() throws Exception;

    /** The events of a whole run on a virtual clock without a journal. */
    static List<StateEvent> run(List<WorkflowSpec> workflows) throws Exception {
        List<StateEvent> run = new ArrayList<>();
        try (Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).listener(new EngineListener() {
            @Override
            public void onStateEvents(List<StateEvent> batch) {
                run.addAll(batch);
            }
        }).build()) {
            engine.submitAll(workflows);
            engine.runUntilIdle();
        }
        return run;
    }

    @Test
    void everyKindOfEventIsStoredAndReadBackAsItWas() throws Exception {
        List<StateEvent> emitted = new ArrayList<>();
        try (Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).journal(open())
                .listener(new EngineListener() {
                    @Override
                    public void onStateEvents(List<StateEvent> batch) {
                        emitted.addAll(batch);
                    }
                }).build()) {
            engine.submit(WorkflowBuilder.workflow("flaky").id("flaky")
                    .task("a", t -> t.input("seconds", 1).input("failAttempts", 1).retries(new RetryPolicy(1, 1, 2, 60)))
                    .task("b", t -> t.dependsOn("a").input("seconds", 1).resources(new Resources(
                            0, 0, 1, 0, "qwen3-32b")))
                    .build());
            engine.submit(WorkflowBuilder.workflow("doomed").id("doomed")
                    .task("broken", t -> t.input("seconds", 1).input("failAttempts", 1))
                    .task("after", t -> t.dependsOn("broken").input("seconds", 1))
                    .build());
            engine.addNode(NodeSpec.of("n2", 4, 16, 0, 0));
            engine.drainNode("n2");
            engine.removeNode("n2");
            engine.runUntilIdle();
        }
        Set<String> kinds = emitted.stream().map(EventCodec::kind).collect(Collectors.toSet());
        assertThat(kinds).contains("WorkflowAccepted", "TaskReady", "TaskStarted", "TaskFinished", "AttemptFailed",
                "TaskCancelled", "WorkflowEnded", "NodeAdded", "NodeDrained", "NodeRemoved");

        try (ServerJournal journal = open()) {
            List<StateEvent> stored = new ArrayList<>(journal.history("flaky"));
            stored.addAll(journal.history("doomed"));
            List<StateEvent> ofWorkflows = emitted.stream().filter(e -> e instanceof StateEvent.OfWorkflow).toList();
            assertThat(stored).containsExactlyInAnyOrderElementsOf(ofWorkflows);
            assertThat(journal.count()).isEqualTo(emitted.size());
            assertThat(journal.after(0, null, 100_000)).containsExactlyElementsOf(emitted);
            assertThat(journal.after(emitted.get(2).sequence(), "doomed", 3)).hasSize(3)
                    .allMatch(e -> ((StateEvent.OfWorkflow) e).workflowId().equals("doomed"))
                    .allMatch(e -> e.sequence() > emitted.get(2).sequence());
            // Both workflows ended: what is left to restore is membership alone.
            assertThat(journal.read()).allMatch(e -> e instanceof StateEvent.OfNode).hasSize(3);
            assertThat(journal.ended("flaky")).isTrue();
            assertThat(journal.ended("nobody")).isFalse();
        }
    }

    @Test
    void anEngineRestoredFromTheStoreFinishesWhatWasRunningAndKeepsWhatFinished() throws Exception {
        // A whole run's events, then only those up to b's start written to the store: a crash while b ran.
        List<StateEvent> run = run(List.of(
                WorkflowBuilder.workflow("quick").id("quick").task("q", t -> t.input("seconds", 1)).build(),
                WorkflowBuilder.workflow("chain").id("chain")
                        .task("a", t -> t.input("seconds", 1))
                        .task("b", t -> t.dependsOn("a").input("seconds", 100))
                        .task("c", t -> t.dependsOn("b").input("seconds", 1))
                        .build()));
        int crash = 0;
        while (!(run.get(crash) instanceof StateEvent.TaskStarted started && started.taskId().equals("b"))) {
            crash++;
        }
        try (ServerJournal journal = open()) {
            for (StateEvent event : run.subList(0, crash + 1)) {
                journal.append(List.of(event));
            }
        }

        ServerJournal reopened = open();
        List<StateEvent> state = reopened.read();
        assertThat(state).noneMatch(e -> e instanceof StateEvent.OfWorkflow w && w.workflowId().equals("quick"));
        Engine second = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).journal(reopened)
                .restore(state).build();
        List<WorkflowHandle> restored = second.restored();
        assertThat(restored).extracting(WorkflowHandle::id).containsExactly("chain");
        second.runUntilIdle();
        WorkflowSnapshot chain = restored.get(0).result().getNow(null);
        assertThat(chain.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(chain.task("a").attempts()).as("a finished before the crash: it does not run again").isEqualTo(1);
        assertThat(chain.task("b").state()).isEqualTo(TaskState.FINISHED);
        second.close();
        try (ServerJournal journal = open()) {
            assertThat(journal.read()).isEmpty();
            assertThat(journal.history("chain")).last().isInstanceOf(StateEvent.WorkflowEnded.class);
            assertThat(journal.history("chain")).filteredOn(e -> e instanceof StateEvent.AttemptLost).hasSize(1);
            assertThat(journal.history("quick")).as("history outlives the restore").isNotEmpty();
        }
    }

    @Test
    void aRefusedBatchLeavesNothingBehindAndTheNextOneIsStored() throws Exception {
        List<StateEvent.WorkflowAccepted> accepted = run(List.of(
                WorkflowBuilder.workflow("w").id("w1").task("a", t -> t.input("seconds", 1)).build(),
                WorkflowBuilder.workflow("w").id("w2").task("a", t -> t.input("seconds", 1)).build(),
                WorkflowBuilder.workflow("w").id("w3").task("a", t -> t.input("seconds", 1)).build()))
                .stream().filter(e -> e instanceof StateEvent.WorkflowAccepted)
                .map(e -> (StateEvent.WorkflowAccepted) e).toList();
        try (ServerJournal journal = open()) {
            journal.append(List.of(accepted.get(0)));
            // w2, then w1 again: refused for the second (its sequence number is taken), so nothing of it is stored.
            assertThatThrownBy(() -> journal.append(List.of(accepted.get(1), accepted.get(0))))
                    .isInstanceOf(JournalException.class).hasMessageContaining("cannot store 2 state events");
            journal.append(List.of(accepted.get(2)));
            assertThat(ids(journal.workflows(query(null, null, null, null, null, 10)))).containsExactly("w3", "w1");
            assertThat(journal.count()).isEqualTo(2);
        }
    }

    @Test
    void sequenceNumbersAndIdsContinueAfterTheWholeHistory() throws Exception {
        List<StateEvent> run = run(List.of(
                WorkflowBuilder.workflow("gen").task("a", t -> t.input("seconds", 1)).build(),
                WorkflowBuilder.workflow("gen").task("a", t -> t.input("seconds", 1).input("failAttempts", 2)
                        .retries(new RetryPolicy(2, 1, 2, 60))).build()));
        long maxAttempt = run.stream().filter(e -> e instanceof StateEvent.TaskStarted)
                .mapToLong(e -> ((StateEvent.TaskStarted) e).attemptId()).max().orElseThrow();
        Set<String> workflowIds = run.stream().filter(e -> e instanceof StateEvent.WorkflowAccepted)
                .map(e -> ((StateEvent.WorkflowAccepted) e).workflowId()).collect(Collectors.toSet());
        try (ServerJournal journal = open()) {
            journal.append(run);
        }
        try (ServerJournal journal = open()) {
            assertThat(journal.read()).as("everything ended").isEmpty();
            assertThat(journal.lastSequence()).isEqualTo(run.get(run.size() - 1).sequence());
            IdGenerator ids = IdGenerator.sequential();
            journal.observeIds(ids);
            assertThat(ids.attemptId()).isGreaterThan(maxAttempt);
            for (int i = 0; i < 5; i++) {
                assertThat(ids.workflowId("gen")).isNotIn(workflowIds);
            }
        }
    }

    @Test
    void acceptedWorkflowsAreListedNewestFirstFilteredByStateNameAndTimeInPages() throws Exception {
        List<StateEvent> run = run(List.of(
                WorkflowBuilder.workflow("alpha").id("a1").task("t", t -> t.input("seconds", 1)).build(),
                WorkflowBuilder.workflow("beta").id("b1").task("t", t -> t.input("seconds", 1)
                        .input("failAttempts", 1)).build().withSubmitAt(2.0),
                WorkflowBuilder.workflow("alpha").id("a2").task("t", t -> t.input("seconds", 1)).build()
                        .withSubmitAt(4.0),
                WorkflowBuilder.workflow("alpha").id("a3").task("t", t -> t.input("seconds", 100)).build()
                        .withSubmitAt(10.0)));
        try (ServerJournal journal = open()) {
            // The store as it stood at 50 s: a3 still running.
            journal.append(run.stream().filter(e -> e.atSeconds() <= 50).toList());

            assertThat(ids(journal.workflows(query(null, null, null, null, null, 10))))
                    .containsExactly("a3", "a2", "b1", "a1");
            assertThat(ids(journal.workflows(query(WorkflowState.FINISHED, null, null, null, null, 10))))
                    .containsExactly("a2", "a1");
            assertThat(ids(journal.workflows(query(WorkflowState.FAILED, null, null, null, null, 10))))
                    .containsExactly("b1");
            assertThat(ids(journal.workflows(query(WorkflowState.RUNNING, null, null, null, null, 10))))
                    .containsExactly("a3");
            assertThat(ids(journal.workflows(query(null, "alpha", null, null, null, 10))))
                    .containsExactly("a3", "a2", "a1");
            assertThat(ids(journal.workflows(query(null, null, 2.0, 10.0, null, 10)))).containsExactly("a2", "b1");
            List<WorkflowRow> first = journal.workflows(query(null, null, null, null, null, 2));
            assertThat(ids(first)).containsExactly("a3", "a2");
            List<WorkflowRow> second = journal.workflows(query(null, null, null, null, first.get(1).sequence(), 2));
            assertThat(ids(second)).containsExactly("b1", "a1");
            assertThat(journal.workflows(query(null, null, null, null, second.get(1).sequence(), 2))).isEmpty();

            WorkflowRow a1 = second.get(1);
            assertThat(a1.name()).isEqualTo("alpha");
            assertThat(a1.state()).isEqualTo(WorkflowState.FINISHED);
            assertThat(a1.submittedAt()).isEqualTo(0.0);
            assertThat(a1.endedAt()).isEqualTo(1.0);
            assertThat(second.get(0).submittedAt()).isEqualTo(2.0);
            assertThat(first.get(0).endedAt()).isNull();
            assertThat(journal.read()).isNotEmpty()
                    .allMatch(e -> ((StateEvent.OfWorkflow) e).workflowId().equals("a3"));
        }
    }

    private static WorkflowQuery query(WorkflowState state, String name, Double from, Double until, Long before,
            int limit) {
        return new WorkflowQuery(state, name, from, until, before, limit);
    }

    private static List<String> ids(List<WorkflowRow> rows) {
        return rows.stream().map(WorkflowRow::id).toList();
    }

    @Test
    void anIdempotencyKeysAnswerIsStoredWithTheAcceptanceOfItsLastWorkflow() throws Exception {
        ServerJournal journal = open();
        try (Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).journal(journal).build()) {
            // Two workflows of one request, accepted in two batches (the second at 5 s): the answer comes with the second.
            List<WorkflowSpec> request = List.of(
                    WorkflowBuilder.workflow("keyed").task("t", t -> t.input("seconds", 1)).build(),
                    WorkflowBuilder.workflow("keyed").task("t", t -> t.input("seconds", 1)).build().withSubmitAt(5.0));
            ServerJournal.PendingAnswer pending = journal.rememberOnAcceptance("k1", request,
                    ids -> new Answer("sha-1", 202, String.join(",", ids)));
            List<WorkflowHandle> handles = engine.submitAll(request);
            AtomicReference<Answer> afterFirst = new AtomicReference<>(new Answer("unset", 0, ""));
            AtomicReference<Answer> afterSecond = new AtomicReference<>();
            handles.get(0).accepted().thenRun(() -> afterFirst.set(answer(journal, "k1")));
            handles.get(1).accepted().thenRun(() -> afterSecond.set(answer(journal, "k1")));

            WorkflowSpec withdrawnSpec = WorkflowBuilder.workflow("withdrawn").task("t", t -> t.input("seconds", 1))
                    .build();
            journal.rememberOnAcceptance("k2", List.of(withdrawnSpec), ids -> new Answer("sha-2", 202, "x")).close();
            engine.submit(withdrawnSpec);
            engine.runUntilIdle();

            assertThat(afterFirst.get()).as("one of the request's workflows is not stored yet").isNull();
            assertThat(afterSecond.get()).as("stored by the time the last acceptance is")
                    .isEqualTo(new Answer("sha-1", 202, handles.get(0).id() + "," + handles.get(1).id()));
            pending.close(); // stored already: nothing to withdraw
            assertThat(journal.answer("k2")).as("withdrawn before its acceptance").isNull();

            WorkflowSpec again = WorkflowBuilder.workflow("again").task("t", t -> t.input("seconds", 1)).build();
            journal.rememberOnAcceptance("k1", List.of(again), ids -> new Answer("sha-3", 202, "later"));
            engine.submit(again);
            engine.runUntilIdle();
            assertThat(journal.answer("k1").requestSha256()).as("the first answer stays").isEqualTo("sha-1");
        }
        try (ServerJournal reopened = open()) {
            assertThat(reopened.answer("k1").body()).contains(",");
        }
    }

    private static Answer answer(ServerJournal journal, String key) {
        try {
            return journal.answer(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anOutputHoldingAnyCharacterIsStoredAsItIs() throws Exception {
        String text = "nul \u0000, quote \", backslash \\, emoji \uD83D\uDE00, ümlaut, \t tab";
        try (Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).journal(open()).build()) {
            engine.submit(WorkflowBuilder.workflow("odd").id("odd")
                    .task("t", t -> t.input("seconds", 1).input("output", Map.of("text", text))).build());
            engine.runUntilIdle();
        }
        try (ServerJournal journal = open()) {
            StateEvent.TaskFinished finished = journal.history("odd").stream()
                    .filter(e -> e instanceof StateEvent.TaskFinished).map(e -> (StateEvent.TaskFinished) e)
                    .findFirst().orElseThrow();
            assertThat(finished.output().path("text").asText()).isEqualTo(text);
        }
    }
}
