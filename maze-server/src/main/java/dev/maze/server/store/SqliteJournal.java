package dev.maze.server.store;

import dev.maze.core.engine.IdGenerator;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.WorkflowState;
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
public final class SqliteJournal implements ServerJournal {

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertWorkflow;
    private final PreparedStatement updateEnded;

    private SqliteJournal(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.insertEvent = connection.prepareStatement(
                "INSERT INTO events (seq, workflow_id, kind, body) VALUES (?, ?, ?, ?)");
        this.insertWorkflow = connection.prepareStatement("INSERT INTO workflows "
                + "(workflow_id, seq, name, state, submitted_at) VALUES (?, ?, ?, 'RUNNING', ?)");
        this.updateEnded = connection.prepareStatement(
                "UPDATE workflows SET state = ?, ended_at = ? WHERE workflow_id = ?");
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
                if (event instanceof StateEvent.WorkflowAccepted accepted) {
                    insertWorkflow.setString(1, accepted.workflowId());
                    insertWorkflow.setLong(2, accepted.sequence());
                    insertWorkflow.setString(3, accepted.spec().name());
                    insertWorkflow.setDouble(4, accepted.atSeconds());
                    insertWorkflow.addBatch();
                } else if (event instanceof StateEvent.WorkflowEnded ended) {
                    updateEnded.setString(1, ended.state().name());
                    updateEnded.setDouble(2, ended.atSeconds());
                    updateEnded.setString(3, ended.workflowId());
                    updateEnded.addBatch();
                }
            }
            insertEvent.executeBatch();
            insertWorkflow.executeBatch(); // before the ends: a workflow may be accepted and end in one batch
            updateEnded.executeBatch();
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
                + "(SELECT workflow_id FROM workflows WHERE state <> 'RUNNING') ORDER BY seq");
    }

    @Override
    public synchronized List<StateEvent> history(String workflowId) throws JournalException {
        return query("SELECT kind, body FROM events WHERE workflow_id = ? ORDER BY seq", workflowId);
    }

    @Override
    public synchronized List<StateEvent> after(long after, String workflowId, int limit) throws JournalException {
        return workflowId == null
                ? query("SELECT kind, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
                : query("SELECT kind, body FROM events WHERE seq > ? AND workflow_id = ? ORDER BY seq LIMIT ?", after,
                        workflowId, limit);
    }

    @Override
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

    @Override
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
                ResultSet rows = statement.executeQuery("SELECT workflow_id FROM workflows")) {
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

    @Override
    public synchronized boolean ended(String workflowId) throws JournalException {
        return number("SELECT count(*) FROM workflows WHERE workflow_id = ? AND state <> 'RUNNING'", workflowId) > 0;
    }

    @Override
    public synchronized List<WorkflowRow> workflows(WorkflowQuery query) throws JournalException {
        StringBuilder sql = new StringBuilder(
                "SELECT workflow_id, seq, name, state, submitted_at, ended_at FROM workflows WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        filter(sql, parameters, " AND state = ?", query.state() == null ? null : query.state().name());
        filter(sql, parameters, " AND name = ?", query.name());
        filter(sql, parameters, " AND submitted_at >= ?", query.submittedFrom());
        filter(sql, parameters, " AND submitted_at < ?", query.submittedUntil());
        filter(sql, parameters, " AND seq < ?", query.before());
        sql.append(" ORDER BY seq DESC LIMIT ?");
        parameters.add(query.limit());
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            bind(statement, parameters.toArray());
            List<WorkflowRow> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    double endedAt = result.getDouble(6);
                    Double ended = result.wasNull() ? null : endedAt;
                    rows.add(new WorkflowRow(result.getString(1), result.getLong(2), result.getString(3),
                            WorkflowState.valueOf(result.getString(4)), result.getDouble(5), ended));
                }
            }
            connection.commit();
            return rows;
        } catch (SQLException | IllegalArgumentException e) {
            throw new JournalException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void filter(StringBuilder sql, List<Object> parameters, String condition, Object value) {
        if (value != null) {
            sql.append(condition);
            parameters.add(value);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    @Override
    public synchronized long count() throws JournalException {
        return number("SELECT count(*) FROM events");
    }

    /** The one number a query returns, its parameters bound in order. */
    private long number(String sql, Object... parameters) throws JournalException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
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
            bind(statement, parameters);
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
            insertWorkflow.close();
            updateEnded.close();
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
