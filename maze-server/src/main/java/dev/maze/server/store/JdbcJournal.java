package dev.maze.server.store;

import dev.maze.core.engine.IdGenerator;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.workflow.WorkflowSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journal in a SQL database over one JDBC connection: what {@link SqliteJournal} and {@link PostgresJournal} share.
 * Each {@link #append} is one transaction (the events, the {@code workflows} rows of acceptances and ends, and the
 * idempotency keys those acceptances answer), so the engine's batch of a loop turn costs one commit (group commit) and
 * a submission is acknowledged only once its batch is durable. Reads commit too, so no transaction stays open.
 *
 * <p>The subclasses give what differs: how to connect and set the session up, how an event's body is bound, and what
 * an error tells the user to do. The SQL here is what both databases read alike ({@code INSERT ... ON CONFLICT DO
 * NOTHING} included; the highest attempt id is a column's maximum, not a JSON extraction).
 *
 * <p>A connection that broke (a PostgreSQL restart or failover) is opened again: a read is retried once on the new
 * connection; an append whose commit may or may not have happened looks for its last event on the new connection and
 * counts as stored when it is there (it is retried once when it is not), because appending a stored batch again would
 * collide with itself and refusing it would refuse submissions that were stored.
 */
abstract sealed class JdbcJournal implements ServerJournal permits SqliteJournal, PostgresJournal {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);

    /** How messages name the store: a file, or a URL without its password. */
    private final String store;
    private final String insertEventSql;
    /** Null after it broke: the next call connects again. */
    private Connection connection;
    private PreparedStatement insertEvent;
    private PreparedStatement insertWorkflow;
    private PreparedStatement updateEnded;
    private PreparedStatement insertKey;
    /** The answers waiting for their acceptance, by the very spec objects submitted (identity, not equality). */
    private final Map<WorkflowSpec, Pending> pending = new IdentityHashMap<>();

    /**
     * @param store how messages name the store: the file, or the URL without a password
     * @param insertEventSql the SQL that inserts an event, which differs in how the body is bound: its seq,
     *     workflow_id, kind, body (JSON text) and attempt_id (a {@code TaskStarted}'s, else null), in this order
     * @param connection set up by {@link #connect()}'s rules
     */
    JdbcJournal(String store, String insertEventSql, Connection connection) throws SQLException {
        this.store = store;
        this.insertEventSql = insertEventSql;
        use(connection);
    }

    /** A new connection to the same store, its session set up as when it was opened, auto-commit off. */
    abstract Connection connect() throws SQLException;

    /** What the user can do about {@code e}, as a sentence in parentheses after a space; empty when nothing to say. */
    String advice(SQLException e) {
        return "";
    }

    /** How messages name the store: the file, or the URL without a password. */
    final String store() {
        return store;
    }

    private void use(Connection connection) throws SQLException {
        this.connection = connection;
        this.insertEvent = connection.prepareStatement(insertEventSql);
        this.insertWorkflow = connection.prepareStatement("INSERT INTO workflows "
                + "(workflow_id, seq, name, state, submitted_at) VALUES (?, ?, ?, 'RUNNING', ?)");
        this.updateEnded = connection.prepareStatement(
                "UPDATE workflows SET state = ?, ended_at = ? WHERE workflow_id = ?");
        this.insertKey = connection.prepareStatement("INSERT INTO idempotency_keys "
                + "(idempotency_key, request_sha256, status, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    }

    /** The connection, connecting again when it broke; a failure to connect is not retried here. */
    private Connection connected() throws JournalException {
        if (connection == null) {
            try {
                use(connect());
            } catch (SQLException e) {
                closeQuietly();
                throw new JournalException("cannot connect to " + store + ": " + e.getMessage() + advice(e), e);
            }
            LOG.warn("connected to the journal {} again", store);
        }
        return connection;
    }

    /** Whether the connection broke (then it is dropped, and the next call connects again). */
    private boolean broken() {
        if (connection == null) {
            return true;
        }
        boolean broken;
        try {
            broken = connection.isClosed() || !connection.isValid(5);
        } catch (SQLException e) {
            broken = true;
        }
        if (broken) {
            LOG.warn("the connection to the journal {} broke; connecting again", store);
            closeQuietly();
        }
        return broken;
    }

    @Override
    public synchronized void append(List<StateEvent> batch) throws JournalException {
        if (batch.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            Connection connection = connected();
            Map<Pending, String[]> answered = new IdentityHashMap<>();
            try {
                write(connection, batch, answered);
                settle(answered);
                return;
            } catch (SQLException e) {
                rollbackQuietly(e);
                if (broken()) {
                    if (stored(batch.get(batch.size() - 1).sequence())) {
                        settle(answered); // the commit went through before the connection broke
                        return;
                    }
                    if (attempt == 1) {
                        continue;
                    }
                }
                throw new JournalException("cannot store " + batch.size() + " state events in " + store + ": "
                        + e.getMessage() + advice(e), e);
            } catch (RuntimeException e) {
                rollbackQuietly(e);
                throw new JournalException("cannot store " + batch.size() + " state events in " + store + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** Writes and commits one batch; {@code answered} gets the pending answers it accepted workflows of. */
    private void write(Connection connection, List<StateEvent> batch, Map<Pending, String[]> answered)
            throws SQLException {
        // A batch that failed may have left rows queued on the statements it did not reach: none may go with this one.
        for (PreparedStatement statement : List.of(insertEvent, insertWorkflow, updateEnded, insertKey)) {
            statement.clearBatch();
        }
        for (StateEvent event : batch) {
            insertEvent.setLong(1, event.sequence());
            insertEvent.setString(2, event instanceof StateEvent.OfWorkflow w ? w.workflowId() : null);
            insertEvent.setString(3, EventCodec.kind(event));
            insertEvent.setString(4, EventCodec.body(event));
            if (event instanceof StateEvent.TaskStarted started) {
                insertEvent.setLong(5, started.attemptId());
            } else {
                insertEvent.setNull(5, Types.BIGINT);
            }
            insertEvent.addBatch();
            if (event instanceof StateEvent.WorkflowAccepted accepted) {
                insertWorkflow.setString(1, accepted.workflowId());
                insertWorkflow.setLong(2, accepted.sequence());
                insertWorkflow.setString(3, accepted.spec().name());
                insertWorkflow.setDouble(4, accepted.atSeconds());
                insertWorkflow.addBatch();
                Pending answer = pending.get(accepted.spec());
                if (answer != null) {
                    answer.accepted(answered.computeIfAbsent(answer, a -> a.ids.clone()), accepted);
                }
            } else if (event instanceof StateEvent.WorkflowEnded ended) {
                updateEnded.setString(1, ended.state().name());
                updateEnded.setDouble(2, ended.atSeconds());
                updateEnded.setString(3, ended.workflowId());
                updateEnded.addBatch();
            }
        }
        boolean keys = false;
        for (Map.Entry<Pending, String[]> entry : answered.entrySet()) {
            if (Arrays.stream(entry.getValue()).allMatch(Objects::nonNull)) {
                Answer answer = entry.getKey().answer.apply(List.of(entry.getValue()));
                insertKey.setString(1, entry.getKey().key);
                insertKey.setString(2, answer.requestSha256());
                insertKey.setInt(3, answer.status());
                insertKey.setString(4, answer.body());
                insertKey.addBatch();
                keys = true;
            }
        }
        insertEvent.executeBatch();
        insertWorkflow.executeBatch(); // before the ends: a workflow may be accepted and end in one batch
        updateEnded.executeBatch();
        if (keys) {
            insertKey.executeBatch();
        }
        connection.commit();
    }

    /** After a commit: the pending answers learn their accepted ids, and those stored are done. */
    private void settle(Map<Pending, String[]> answered) {
        answered.forEach((answer, ids) -> {
            System.arraycopy(ids, 0, answer.ids, 0, ids.length);
            if (Arrays.stream(ids).allMatch(Objects::nonNull)) {
                answer.withdraw();
            }
        });
    }

    /** Whether the event of sequence number {@code seq} is stored (false when that cannot be read either). */
    private boolean stored(long seq) {
        try {
            return number("SELECT count(*) FROM events WHERE seq = ?", seq) > 0;
        } catch (JournalException e) {
            return false;
        }
    }

    @Override
    public synchronized PendingAnswer rememberOnAcceptance(String key, List<WorkflowSpec> specs,
            Function<List<String>, Answer> answer) {
        Pending registered = new Pending(key, List.copyOf(specs), answer);
        specs.forEach(spec -> pending.put(spec, registered));
        return registered;
    }

    /** An answer registered for its workflows' acceptance: their ids as the committed batches accepted them. */
    private final class Pending implements PendingAnswer {
        final String key;
        final List<WorkflowSpec> specs;
        final Function<List<String>, Answer> answer;
        final String[] ids;

        Pending(String key, List<WorkflowSpec> specs, Function<List<String>, Answer> answer) {
            this.key = key;
            this.specs = specs;
            this.answer = answer;
            this.ids = new String[specs.size()];
        }

        /** Notes in {@code ids} (a batch's copy of the accepted ids) that {@code accepted} accepted one of the specs. */
        void accepted(String[] ids, StateEvent.WorkflowAccepted accepted) {
            for (int i = 0; i < specs.size(); i++) {
                if (specs.get(i) == accepted.spec() && ids[i] == null) {
                    ids[i] = accepted.workflowId();
                    return;
                }
            }
        }

        void withdraw() {
            specs.forEach(spec -> pending.remove(spec, this));
        }

        @Override
        public void close() {
            synchronized (JdbcJournal.this) {
                withdraw();
            }
        }
    }

    @Override
    public synchronized List<StateEvent> read() throws JournalException {
        // Membership events and those of workflows that have not ended.
        return query("SELECT e.kind, e.body FROM events e LEFT JOIN workflows w ON w.workflow_id = e.workflow_id "
                + "WHERE w.state IS NULL OR w.state = 'RUNNING' ORDER BY e.seq");
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
        return reading("SELECT request_sha256, status, body FROM idempotency_keys WHERE idempotency_key = ?",
                List.of(key), rows -> rows.next() ? new Answer(rows.getString(1), rows.getInt(2), rows.getString(3))
                        : null);
    }

    @Override
    public synchronized long lastSequence() throws JournalException {
        return number("SELECT coalesce(max(seq), 0) FROM events");
    }

    @Override
    public synchronized void observeIds(IdGenerator ids) throws JournalException {
        List<String> workflowIds = reading("SELECT workflow_id FROM workflows", List.of(), rows -> {
            List<String> all = new ArrayList<>();
            while (rows.next()) {
                all.add(rows.getString(1));
            }
            return all;
        });
        workflowIds.forEach(id -> ids.observe(id, 0));
        ids.observe(null, number("SELECT coalesce(max(attempt_id), 0) FROM events WHERE attempt_id IS NOT NULL"));
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
        return reading(sql.toString(), parameters, result -> {
            List<WorkflowRow> rows = new ArrayList<>();
            while (result.next()) {
                double endedAt = result.getDouble(6);
                Double ended = result.wasNull() ? null : endedAt;
                rows.add(new WorkflowRow(result.getString(1), result.getLong(2), result.getString(3),
                        WorkflowState.valueOf(result.getString(4)), result.getDouble(5), ended));
            }
            return rows;
        });
    }

    private static void filter(StringBuilder sql, List<Object> parameters, String condition, Object value) {
        if (value != null) {
            sql.append(condition);
            parameters.add(value);
        }
    }

    @Override
    public synchronized long count() throws JournalException {
        return number("SELECT count(*) FROM events");
    }

    /** The one number a query returns, its parameters bound in order. */
    private long number(String sql, Object... parameters) throws JournalException {
        return reading(sql, Arrays.asList(parameters), rows -> {
            rows.next();
            return rows.getLong(1);
        });
    }

    /** The events a query of (kind, body) rows returns, its parameters bound in order. */
    private List<StateEvent> query(String sql, Object... parameters) throws JournalException {
        return reading(sql, Arrays.asList(parameters), rows -> {
            List<StateEvent> events = new ArrayList<>();
            while (rows.next()) {
                events.add(EventCodec.read(rows.getString(1), rows.getString(2)));
            }
            return events;
        });
    }

    /** What reading a query's rows gives. */
    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /**
     * Runs a query, its parameters bound in order, and reads its rows, in a transaction of its own; once more on a new
     * connection when the connection broke.
     */
    private <T> T reading(String sql, List<?> parameters, Rows<T> read) throws JournalException {
        for (int attempt = 1; ; attempt++) {
            Connection connection = connected();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) {
                    statement.setObject(i + 1, parameters.get(i));
                }
                T result;
                try (ResultSet rows = statement.executeQuery()) {
                    result = read.read(rows);
                }
                connection.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly(e);
                if (attempt > 1 || !broken()) {
                    throw new JournalException("cannot read the journal " + store + ": " + e.getMessage()
                            + advice(e), e);
                }
            } catch (IllegalArgumentException e) {
                rollbackQuietly(e);
                throw new JournalException("cannot read the journal " + store + ": " + e.getMessage(), e);
            }
        }
    }

    private void rollbackQuietly(Exception failure) {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            failure.addSuppressed(rollback);
        }
    }

    private void closeQuietly() {
        if (connection == null) {
            return;
        }
        try {
            connection.close(); // closes the prepared statements too
        } catch (SQLException e) {
            // closing: nothing is left to store on this connection
        }
        connection = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
