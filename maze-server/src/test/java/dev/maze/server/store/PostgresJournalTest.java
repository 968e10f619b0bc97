package dev.maze.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.StateJournal.JournalException;
import dev.maze.core.workflow.WorkflowBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL journal on a private PostgreSQL server ({@link PrivatePostgres}): the stores' contract, and what is
 * PostgreSQL's own (connection errors that say what to do, one server per database, a restart of PostgreSQL).
 */
class PostgresJournalTest extends ServerJournalContract {

    private PrivatePostgres postgres;
    private String url;

    @BeforeEach
    void database() throws Exception {
        postgres = PrivatePostgres.shared();
        url = postgres.createDatabase();
    }

    @Override
    ServerJournal open() throws Exception {
        return PostgresJournal.open(url, postgres.password());
    }

    @Test
    void bodiesAreJsonAndTheHighestAttemptIdIsReadFromAnIndex() throws Exception {
        try (ServerJournal journal = open()) {
            journal.append(run(List.of(WorkflowBuilder.workflow("w").task("a", t -> t.input("seconds", 1)).build())));
        }
        try (Connection connection = postgres.connect(url); Statement statement = connection.createStatement()) {
            try (ResultSet type = statement.executeQuery("SELECT data_type FROM information_schema.columns "
                    + "WHERE table_name = 'events' AND column_name = 'body'")) {
                assertThat(type.next()).isTrue();
                assertThat(type.getString(1)).isEqualTo("json");
            }
            statement.execute("SET enable_seqscan = off"); // a table this small is scanned otherwise
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = statement.executeQuery("EXPLAIN SELECT coalesce(max(attempt_id), 0) FROM events "
                    + "WHERE attempt_id IS NOT NULL")) {
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("events_attempt_ids");
        }
    }

    @Test
    void aServerThatIsNotThereIsNamedWithWhatToCheck() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        String nowhere = "jdbc:postgresql://127.0.0.1:" + closed + "/maze?user=maze&password=s3cret-in-url";
        assertThatThrownBy(() -> PostgresJournal.open(nowhere, null)).isInstanceOf(JournalException.class)
                .hasMessageStartingWith("cannot connect to jdbc:postgresql://127.0.0.1:" + closed + "/maze?user=maze: ")
                .hasMessageContaining("is PostgreSQL running, and are the URL, user and password right?")
                .message().doesNotContain("s3cret-in-url");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() throws Exception {
        assertThatThrownBy(() -> PostgresJournal.open(url, "wrong-password-42")).isInstanceOf(JournalException.class)
                .hasMessageContaining(url).hasMessageContaining("password authentication failed")
                .hasMessageContaining("$" + Journals.PASSWORD_ENV).message().doesNotContain("wrong-password-42");
        String withPassword = url + "&password=wrong-password-43";
        assertThatThrownBy(() -> PostgresJournal.open(withPassword, postgres.password()))
                .as("the URL's password comes first").isInstanceOf(JournalException.class)
                .message().doesNotContain("wrong-password-43").contains(url);
        try (ServerJournal journal = PostgresJournal.open(url + "&password=" + postgres.password(), null)) {
            assertThat(journal.toString()).isEqualTo("PostgreSQL journal " + url);
        }
    }

    @Test
    void aDatabaseOfAnotherApplicationIsRefused() throws Exception {
        try (Connection connection = postgres.connect(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
        }
        assertThatThrownBy(this::open).isInstanceOf(JournalException.class)
                .hasMessageStartingWith("cannot open the journal " + url + ": ")
                .hasMessageContaining("a database of its own");
    }

    @Test
    void aSecondServerOnTheSameDatabaseIsRefusedWhileTheFirstHoldsIt() throws Exception {
        try (ServerJournal first = open()) {
            assertThatThrownBy(() -> PostgresJournal.open(url, postgres.password(), 1))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("another maze server holds this database")
                    .hasMessageContaining("pg_terminate_backend");
            assertThat(first.count()).as("the first goes on").isZero();
        }
        try (ServerJournal next = open()) {
            assertThat(next.count()).as("free once the first closed").isZero();
        }
    }

    @Test
    void afterPostgresRestartsTheJournalConnectsAgainAndLosesNothing() throws Exception {
        List<StateEvent> run = run(List.of(
                WorkflowBuilder.workflow("w").id("w1").task("a", t -> t.input("seconds", 1)).build(),
                WorkflowBuilder.workflow("w").id("w2").task("a", t -> t.input("seconds", 1)).build()));
        int half = run.size() / 2;
        try (PrivatePostgres own = PrivatePostgres.start()) {
            String database = own.createDatabase();
            try (ServerJournal journal = PostgresJournal.open(database, own.password())) {
                journal.append(run.subList(0, half));
                own.stop();
                assertThatThrownBy(() -> journal.append(run.subList(half, half + 1)))
                        .as("while it is down").isInstanceOf(JournalException.class)
                        .hasMessageContaining("PostgreSQL");
                own.startAgain();
                journal.append(run.subList(half, run.size()));
                assertThat(journal.after(0, null, 10_000)).containsExactlyElementsOf(run);
                assertThat(journal.ended("w2")).isTrue();
            }
        }
    }
}
