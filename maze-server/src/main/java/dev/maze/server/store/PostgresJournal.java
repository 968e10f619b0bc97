package dev.maze.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The engine's journal on an external PostgreSQL server, for teams (maze-server/README.md, "The store"): the same
 * tables and the same semantics as {@link SqliteJournal} — one transaction per {@link #append} batch, committed with
 * {@code synchronous_commit} on, so a submission is acknowledged only once PostgreSQL has its acceptance on disk — with
 * its own Flyway migrations ({@code db/migration/postgresql}).
 *
 * <p>One server per database: the journal's connection holds a session-level advisory lock, so a second
 * {@code maze server} on the same database is refused (it would interleave its sequence numbers with the first's)
 * instead of corrupting the history. A connection that breaks (PostgreSQL restarted) is opened again on the next call
 * ({@link JdbcJournal}).
 */
public final class PostgresJournal extends JdbcJournal {

    private static final String INSERT_EVENT =
            "INSERT INTO events (seq, workflow_id, kind, body, attempt_id) VALUES (?, ?, ?, CAST(? AS json), ?)";

    /** The advisory lock a journal's connection holds: "maze" in ASCII, one per database. */
    static final long LOCK = 0x6D617A65L;
    /** How long opening waits for the lock: a server killed a moment ago leaves its session for PostgreSQL to end. */
    static final int LOCK_WAIT_SECONDS = 15;
    private static final Pattern PASSWORD = Pattern.compile("([?&;])password=[^&;]*&?", Pattern.CASE_INSENSITIVE);

    private final PGSimpleDataSource source;
    private final int lockWaitSeconds;

    private PostgresJournal(String store, PGSimpleDataSource source, int lockWaitSeconds, Connection connection)
            throws SQLException {
        super(store, INSERT_EVENT, connection);
        this.source = source;
        this.lockWaitSeconds = lockWaitSeconds;
    }

    /**
     * Opens (creating or migrating the tables of) the journal in the PostgreSQL database {@code url} names.
     *
     * @param url {@code jdbc:postgresql://HOST:PORT/DATABASE?user=USER}, with any of the driver's parameters
     * @param password used when the URL holds none; null for none
     * @throws JournalException when it cannot connect, another server holds the database, or the database holds
     *     something else; the message names the URL without a password and says what to do
     */
    public static PostgresJournal open(String url, String password) throws JournalException {
        return open(url, password, LOCK_WAIT_SECONDS);
    }

    /** As {@link #open(String, String)}, waiting at most {@code lockWaitSeconds} for another server's lock. */
    static PostgresJournal open(String url, String password, int lockWaitSeconds) throws JournalException {
        String store = withoutPassword(url);
        PGSimpleDataSource source = new PGSimpleDataSource();
        try {
            source.setUrl(url);
        } catch (IllegalArgumentException e) {
            throw new JournalException("cannot open the journal " + store + ": not a PostgreSQL JDBC URL (give "
                    + "jdbc:postgresql://HOST:PORT/DATABASE?user=USER)");
        }
        if (password != null && !password.isEmpty() && source.getPassword() == null) {
            source.setPassword(password);
        }
        if (source.getApplicationName() == null || source.getApplicationName().equals("PostgreSQL JDBC Driver")) {
            source.setApplicationName("maze server");
        }
        source.setReWriteBatchedInserts(true); // one INSERT of many rows per table and batch, not one per event
        Connection connection;
        try {
            connection = connect(source, lockWaitSeconds);
        } catch (SQLException e) {
            throw new JournalException("cannot connect to " + store + ": " + redact(e.getMessage(), source)
                    + advise(e), e);
        }
        try {
            // After the lock: two servers starting on one database never migrate it at once.
            Flyway.configure().dataSource(source).locations("classpath:db/migration/postgresql").loggers("slf4j")
                    .load().migrate();
            return new PostgresJournal(store, source, lockWaitSeconds, connection);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw new JournalException("cannot open the journal " + store + ": " + redact(e.getMessage(), source)
                    + " (is it a database of its own for this server, empty or a Maze journal?)", e);
        }
    }

    @Override
    Connection connect() throws SQLException {
        return connect(source, lockWaitSeconds);
    }

    /** A connection with its session set up: the lock held, durable commits, auto-commit off. */
    private static Connection connect(PGSimpleDataSource source, int lockWaitSeconds) throws SQLException {
        Connection connection = source.getConnection();
        try {
            try (Statement session = connection.createStatement()) {
                session.execute("SET lock_timeout = '" + lockWaitSeconds + "s'");
                try {
                    session.execute("SELECT pg_advisory_lock(" + LOCK + ")");
                } catch (SQLException e) {
                    if (!"55P03".equals(e.getSQLState())) {
                        throw e;
                    }
                    throw new SQLException("another maze server holds this database (" + holder(source)
                            + "); each server needs a database of its own: stop the other one, or give this one "
                            + "another database in its --store URL", "55P03", e);
                }
                session.execute("RESET lock_timeout");
                // An acknowledged submission must be on disk: a server default of off is raised to on (local,
                // remote_write and remote_apply, which a replicated setup may have chosen, all flush locally).
                try (ResultSet mode = session.executeQuery("SHOW synchronous_commit")) {
                    if (mode.next() && mode.getString(1).equals("off")) {
                        session.execute("SET synchronous_commit = on");
                    }
                }
            }
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** Which session holds the lock, as far as PostgreSQL tells. */
    private static String holder(PGSimpleDataSource source) {
        try (Connection connection = source.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT a.pid, a.client_addr, a.backend_start "
                        + "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' "
                        + "AND l.granted AND l.objid = ? AND l.database = (SELECT oid FROM pg_database "
                        + "WHERE datname = current_database())")) {
            query.setLong(1, LOCK);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? "its session: backend pid " + rows.getInt(1) + " from " + rows.getString(2)
                        + " since " + rows.getString(3) + "; SELECT pg_terminate_backend(" + rows.getInt(1)
                        + ") ends a session its server left behind" : "its session has just ended; try again";
            }
        } catch (SQLException e) {
            return "its session could not be read: " + e.getMessage();
        }
    }

    @Override
    String advice(SQLException e) {
        return advise(e);
    }

    private static String advise(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String state = cause instanceof SQLException sql ? sql.getSQLState() : null;
            if (state == null) {
                continue;
            }
            if (state.startsWith("08")) {
                return " (is PostgreSQL running, and are the URL, user and password right?)";
            }
            if (state.startsWith("28")) {
                return " (are the user and password right? Without password= in the URL it is read from $"
                        + Journals.PASSWORD_ENV + ")";
            }
            if (state.equals("3D000")) {
                return " (create the database first, e.g. createdb -h HOST -p PORT -U USER DATABASE)";
            }
            if (state.startsWith("57P")) {
                return " (PostgreSQL is stopping or restarting; the journal connects again on its next call)";
            }
        }
        return "";
    }

    /** {@code url} without its password parameter: how messages and logs may name it. */
    static String withoutPassword(String url) {
        String shown = PASSWORD.matcher(url).replaceAll("$1");
        return shown.endsWith("?") || shown.endsWith("&") ? shown.substring(0, shown.length() - 1) : shown;
    }

    /** {@code message} with the password, where the driver or Flyway quoted it, left out. */
    private static String redact(String message, PGSimpleDataSource source) {
        String password = source.getPassword();
        return message == null || password == null || password.isEmpty() ? String.valueOf(message)
                : message.replace(password, "***");
    }

    @Override
    public String toString() {
        return "PostgreSQL journal " + store();
    }
}
