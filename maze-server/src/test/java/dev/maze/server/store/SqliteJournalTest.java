package dev.maze.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.engine.IdGenerator;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.StateJournal;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.workflow.WorkflowBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite journal: the stores' contract, and what is SQLite's own (its migrations, a file that is not one). */
class SqliteJournalTest extends ServerJournalContract {

    @TempDir
    Path dir;

    @Override
    ServerJournal open() throws Exception {
        return SqliteJournal.open(dir.resolve("journal.db"));
    }

    @Test
    void aJournalFromBeforeTheWorkflowsTableIsMigratedWithItsHistoryListed() throws Exception {
        List<StateEvent> run = run(List.of(
                WorkflowBuilder.workflow("done").id("w1").task("a", t -> t.input("seconds", 1)).build(),
                WorkflowBuilder.workflow("open").id("w2").task("a", t -> t.input("seconds", 100)).build()));
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
            long maxAttempt = stored.stream().filter(e -> e instanceof StateEvent.TaskStarted)
                    .mapToLong(e -> ((StateEvent.TaskStarted) e).attemptId()).max().orElseThrow();
            IdGenerator ids = IdGenerator.sequential();
            journal.observeIds(ids);
            assertThat(ids.attemptId()).as("V4 took the attempt ids out of the bodies").isGreaterThan(maxAttempt);
        }
    }

    @Test
    void aFileThatIsNotAJournalIsRefusedNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "this is not a database, just some text ".repeat(200));
        assertThatThrownBy(() -> SqliteJournal.open(file)).isInstanceOf(StateJournal.JournalException.class)
                .hasMessageContaining("notes.txt").hasMessageContaining("not a SQLite database");
    }
}
