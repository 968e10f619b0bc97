package dev.maze.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.clock.VirtualClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.StateJournal;
import dev.maze.core.engine.TaskState;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.WorkflowBuilder;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteJournalTest {

    @TempDir
    Path dir;

    private static final NodeSpec NODE = NodeSpec.of("n1", 8, 32, 1, 80);

    @Test
    void everyKindOfEventIsStoredAndReadBackAsItWas() throws Exception {
        Path file = dir.resolve("journal.db");
        List<StateEvent> emitted = new ArrayList<>();
        try (Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).journal(SqliteJournal.open(file))
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

        try (SqliteJournal journal = SqliteJournal.open(file)) {
            List<StateEvent> stored = new ArrayList<>(journal.history("flaky"));
            stored.addAll(journal.history("doomed"));
            List<StateEvent> ofWorkflows = emitted.stream().filter(e -> e instanceof StateEvent.OfWorkflow).toList();
            assertThat(stored).containsExactlyInAnyOrderElementsOf(ofWorkflows);
            assertThat(journal.count()).isEqualTo(emitted.size());
            // Both workflows ended: what is left to restore is membership alone.
            assertThat(journal.read()).allMatch(e -> e instanceof StateEvent.OfNode).hasSize(3);
        }
    }

    @Test
    void anEngineRestoredFromTheFileFinishesWhatWasRunningAndKeepsWhatFinished() throws Exception {
        // A whole run's events, then only those up to b's start written to the file: a crash while b ran.
        List<StateEvent> run = new ArrayList<>();
        try (Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).listener(new EngineListener() {
            @Override
            public void onStateEvents(List<StateEvent> batch) {
                run.addAll(batch);
            }
        }).build()) {
            engine.submit(WorkflowBuilder.workflow("quick").id("quick").task("q", t -> t.input("seconds", 1)).build());
            engine.submit(WorkflowBuilder.workflow("chain").id("chain")
                    .task("a", t -> t.input("seconds", 1))
                    .task("b", t -> t.dependsOn("a").input("seconds", 100))
                    .task("c", t -> t.dependsOn("b").input("seconds", 1))
                    .build());
            engine.runUntilIdle();
        }
        int crash = 0;
        while (!(run.get(crash) instanceof StateEvent.TaskStarted started && started.taskId().equals("b"))) {
            crash++;
        }
        Path file = dir.resolve("journal.db");
        try (SqliteJournal journal = SqliteJournal.open(file)) {
            for (StateEvent event : run.subList(0, crash + 1)) {
                journal.append(List.of(event));
            }
        }

        StateJournal reopened = SqliteJournal.open(file);
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
        try (SqliteJournal journal = SqliteJournal.open(file)) {
            assertThat(journal.read()).isEmpty();
            assertThat(journal.history("chain")).last().isInstanceOf(StateEvent.WorkflowEnded.class);
            assertThat(journal.history("chain")).filteredOn(e -> e instanceof StateEvent.AttemptLost).hasSize(1);
        }
    }

    @Test
    void aJournalFromBeforeTheWorkflowsTableIsMigratedWithItsHistoryListed() throws Exception {
        List<StateEvent> run = new ArrayList<>();
        try (Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).listener(new EngineListener() {
            @Override
            public void onStateEvents(List<StateEvent> batch) {
                run.addAll(batch);
            }
        }).build()) {
            engine.submit(WorkflowBuilder.workflow("done").id("w1").task("a", t -> t.input("seconds", 1)).build());
            engine.submit(WorkflowBuilder.workflow("open").id("w2").task("a", t -> t.input("seconds", 100)).build());
            engine.runUntilIdle();
        }
        // The journal as it stood at 1 s: w1 ended, w2 running.
        List<StateEvent> stored = run.subList(0, 1 + run.indexOf(run.stream()
                .filter(e -> e instanceof StateEvent.WorkflowEnded end && end.workflowId().equals("w1")).findFirst()
                .orElseThrow()));
        Path file = dir.resolve("journal.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("2").load()
                .migrate();
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO events VALUES (?, ?, ?, ?)");
                PreparedStatement ended = connection.prepareStatement("INSERT INTO ended_workflows VALUES (?, ?, ?)")) {
            for (StateEvent event : stored) {
                insert.setLong(1, event.sequence());
                insert.setString(2, ((StateEvent.OfWorkflow) event).workflowId());
                insert.setString(3, EventCodec.kind(event));
                insert.setString(4, EventCodec.body(event));
                insert.executeUpdate();
                if (event instanceof StateEvent.WorkflowEnded end) {
                    ended.setString(1, end.workflowId());
                    ended.setLong(2, end.sequence());
                    ended.setString(3, end.state().name());
                    ended.executeUpdate();
                }
            }
        }

        try (SqliteJournal journal = SqliteJournal.open(file)) {
            List<ServerJournal.WorkflowRow> rows = journal.workflows(new ServerJournal.WorkflowQuery(null, null, null,
                    null, null, 10));
            assertThat(rows).extracting(ServerJournal.WorkflowRow::id).containsExactly("w2", "w1");
            assertThat(rows.get(1).name()).isEqualTo("done");
            assertThat(rows.get(1).state()).isEqualTo(WorkflowState.FINISHED);
            assertThat(rows.get(1).endedAt()).isEqualTo(1.0);
            assertThat(rows.get(0).state()).isEqualTo(WorkflowState.RUNNING);
            assertThat(rows.get(0).endedAt()).isNull();
            assertThat(journal.ended("w1")).isTrue();
            assertThat(journal.ended("w2")).isFalse();
            assertThat(journal.read()).allMatch(e -> ((StateEvent.OfWorkflow) e).workflowId().equals("w2"));
        }
    }

    @Test
    void aFileThatIsNotAJournalIsRefusedNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "this is not a database, just some text ".repeat(200));
        assertThatThrownBy(() -> SqliteJournal.open(file)).isInstanceOf(StateJournal.JournalException.class)
                .hasMessageContaining("notes.txt").hasMessageContaining("not a SQLite database");
    }
}
