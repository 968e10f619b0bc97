package dev.maze.server.store;

import dev.maze.core.engine.IdGenerator;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.StateJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * The engine's journal in an embedded SQLite database: one file, write-ahead log, {@code synchronous=FULL}, one
 * connection. Each {@link #append} is one transaction, so the engine's batch of a loop turn costs one commit (group
 * commit) and a submission is acknowledged only once its batch is on disk. Chosen from the measurements in
 * {@code shared/notes/service-stack.md} §2 (maze-server/README.md, "The store"): SQLite in WAL mode lost no
 * acknowledged commit under {@code kill -9}, where H2's defaults lost hundreds in every run; FULL also keeps them
 * through a power loss, and with a commit per batch its fsync is paid once per loop turn, not per event.
 *
 * <p>Events of ended workflows stay (they are the workflows' history) but are not part of {@link #read()}: the state
 * to restore is the active workflows and node membership.
 */
public final class SqliteJournal implements StateJournal {

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertEnded;

    private SqliteJournal(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.insertEvent = connection.prepareStatement(
                "INSERT INTO events (seq, workflow_id, kind, body) VALUES (?, ?, ?, ?)");
        this.insertEnded = connection.prepareStatement(
                "INSERT OR REPLACE INTO ended_workflows (workflow_id, seq, state) VALUES (?, ?, ?)");
    }

    /**
     * Opens (creating or migrating) the journal in {@code file}.
     *
     * @throws JournalException when the file cannot be created, opened or migrated; the message names it
     */
    public static SqliteJournal open(Path file) throws JournalException {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        if (Files.isRegularFile(file) && !isSqlite(file)) {
            throw new JournalException("cannot open the journal " + file + ": it is not a SQLite database (a Maze "
                    + "journal); give the server another --data-dir, or move the file away");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite")
                    .loggers("slf4j").load().migrate();
            Connection connection = DriverManager.getConnection(url);
            try (Statement pragmas = connection.createStatement()) {
                pragmas.execute("PRAGMA journal_mode=WAL");
                pragmas.execute("PRAGMA synchronous=" + System.getProperty("maze.sqlite.synchronous", "FULL"));
                pragmas.execute("PRAGMA busy_timeout=5000");
            }
            connection.setAutoCommit(false);
            return new SqliteJournal(file, connection);
        } catch (IOException | SQLException | RuntimeException e) {
            throw new JournalException("cannot open the journal " + file + ": " + e.getMessage()
                    + " (is the directory writable, and the file a Maze journal?)", e);
        }
    }

    /** Whether {@code file} is empty (SQLite starts it) or starts with SQLite's header. */
    private static boolean isSqlite(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(16);
            return header.length == 0 || new String(header, StandardCharsets.US_ASCII)
                    .equals("SQLite format 3\0");
        } catch (IOException e) {
            return true; // unreadable: opening it reports why
        }
    }

    @Override
    public synchronized void append(List<StateEvent> batch) throws JournalException {
        try {
            for (StateEvent event : batch) {
                insertEvent.setLong(1, event.sequence());
                insertEvent.setString(2, event instanceof StateEvent.OfWorkflow w ? w.workflowId() : null);
                insertEvent.setString(3, EventCodec.kind(event));
                insertEvent.setString(4, EventCodec.body(event));
                insertEvent.addBatch();
                if (event instanceof StateEvent.WorkflowEnded ended) {
                    insertEnded.setString(1, ended.workflowId());
                    insertEnded.setLong(2, ended.sequence());
                    insertEnded.setString(3, ended.state().name());
                    insertEnded.addBatch();
                }
            }
            insertEvent.executeBatch();
            insertEnded.executeBatch();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw new JournalException("cannot store " + batch.size() + " state events in " + file + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<StateEvent> read() throws JournalException {
        return query("SELECT kind, body FROM events WHERE workflow_id IS NULL OR workflow_id NOT IN "
                + "(SELECT workflow_id FROM ended_workflows) ORDER BY seq");
    }

    /** Every stored event of one workflow, ended or not, in order: its history. */
    public synchronized List<StateEvent> history(String workflowId) throws JournalException {
        return query("SELECT kind, body FROM events WHERE workflow_id = ? ORDER BY seq", workflowId);
    }

    /**
     * Up to {@code limit} stored events after sequence number {@code after}, in order, of one workflow (or of all when
     * {@code workflowId} is null): how an event stream resumes from a client's {@code Last-Event-ID}.
     */
    public synchronized List<StateEvent> after(long after, String workflowId, int limit) throws JournalException {
        return workflowId == null
                ? query("SELECT kind, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
                : query("SELECT kind, body FROM events WHERE seq > ? AND workflow_id = ? ORDER BY seq LIMIT ?", after,
                        workflowId, limit);
    }

    /** The first answer stored for an {@code Idempotency-Key}: the request's SHA-256 and the response. */
    public record Answer(String requestSha256, int status, String body) {}

    /** The answer stored for {@code key}, or null. */
    public synchronized Answer answer(String key) throws JournalException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT request_sha256, status, body FROM idempotency_keys WHERE idempotency_key = ?")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                Answer answer = rows.next() ? new Answer(rows.getString(1), rows.getInt(2), rows.getString(3)) : null;
                connection.commit();
                return answer;
            }
        } catch (SQLException e) {
            throw new JournalException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores the first answer for {@code key} (a later one for the same key is ignored). */
    public synchronized void remember(String key, Answer answer) throws JournalException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT OR IGNORE INTO idempotency_keys "
                + "(idempotency_key, request_sha256, status, body) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, key);
            statement.setString(2, answer.requestSha256());
            statement.setInt(3, answer.status());
            statement.setString(4, answer.body());
            statement.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw new JournalException("cannot store an idempotency key in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long lastSequence() throws JournalException {
        return number("SELECT coalesce(max(seq), 0) FROM events");
    }

    @Override
    public synchronized void observeIds(IdGenerator ids) throws JournalException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT workflow_id FROM ended_workflows")) {
            while (rows.next()) {
                ids.observe(rows.getString(1), 0);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new JournalException("cannot read " + file + ": " + e.getMessage(), e);
        }
        ids.observe(null, number("SELECT coalesce(max(json_extract(body, '$.attemptId')), 0) FROM events "
                + "WHERE kind = 'TaskStarted'"));
    }

    /** Whether a workflow of this id ended here (its id belongs to its history for good). */
    public synchronized boolean ended(String workflowId) throws JournalException {
        return number("SELECT count(*) FROM ended_workflows WHERE workflow_id = ?", workflowId) > 0;
    }

    /** Events stored in all (of every workflow, ended or not, and of membership). */
    public synchronized long count() throws JournalException {
        return number("SELECT count(*) FROM events");
    }

    /** The one number a query returns, its parameters bound in order. */
    private long number(String sql, Object... parameters) throws JournalException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                long value = rows.getLong(1);
                connection.commit();
                return value;
            }
        } catch (SQLException e) {
            throw new JournalException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The events a query of (kind, body) rows returns, its parameters bound in order. */
    private List<StateEvent> query(String sql, Object... parameters) throws JournalException {
        List<StateEvent> events = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(EventCodec.read(rows.getString(1), rows.getString(2)));
                }
            }
            connection.commit();
            return events;
        } catch (SQLException | IllegalArgumentException e) {
            throw new JournalException("cannot read the journal " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            insertEvent.close();
            insertEnded.close();
            connection.close();
        } catch (SQLException e) {
            // closing: nothing is left to store, and the next open recovers the write-ahead log
        }
    }

    @Override
    public String toString() {
        return "SQLite journal " + file;
    }
}
