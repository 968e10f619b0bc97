package dev.maze.server.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
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
 * to restore is the active workflows and node membership. What it shares with {@link PostgresJournal} (the batch, the
 * queries) is {@link JdbcJournal}'s; here are the file and the pragmas.
 */
public final class SqliteJournal extends JdbcJournal {

    private static final String INSERT_EVENT =
            "INSERT INTO events (seq, workflow_id, kind, body, attempt_id) VALUES (?, ?, ?, ?, ?)";

    private final Path file;
    private final String url;

    private SqliteJournal(Path file, String url, Connection connection) throws SQLException {
        super(file.toString(), INSERT_EVENT, connection);
        this.file = file;
        this.url = url;
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
            return new SqliteJournal(file, url, connect(url));
        } catch (IOException | SQLException | RuntimeException e) {
            throw new JournalException("cannot open the journal " + file + ": " + e.getMessage()
                    + " (is the directory writable, and the file a Maze journal?)", e);
        }
    }

    @Override
    Connection connect() throws SQLException {
        return connect(url);
    }

    private static Connection connect(String url) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try (Statement pragmas = connection.createStatement()) {
            pragmas.execute("PRAGMA journal_mode=WAL");
            pragmas.execute("PRAGMA synchronous=" + System.getProperty("maze.sqlite.synchronous", "FULL"));
            pragmas.execute("PRAGMA busy_timeout=5000");
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
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
    public String toString() {
        return "SQLite journal " + file;
    }
}
