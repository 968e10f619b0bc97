package dev.maze.server.store;

import dev.maze.core.engine.StateJournal.JournalException;
import java.nio.file.Path;

/**
 * Opens the journal a server's {@code --store} names: {@code sqlite} (the default) for {@link SqliteJournal} in the
 * data directory, or a PostgreSQL JDBC URL for {@link PostgresJournal}.
 */
public final class Journals {

    /** The store when {@code --store} is not given; unset means {@code sqlite}. */
    public static final String STORE_ENV = "MAZE_STORE";
    /** The PostgreSQL password when the URL holds none (so that it appears in no command line). */
    public static final String PASSWORD_ENV = "MAZE_STORE_PASSWORD";
    /** The SQLite journal's file in the data directory. */
    public static final String SQLITE_FILE = "journal.db";

    private Journals() {}

    /**
     * Opens the journal {@code store} names, with the password from {@value #PASSWORD_ENV}.
     *
     * @param store {@code sqlite}, or {@code jdbc:postgresql://HOST:PORT/DATABASE?user=USER}; null or blank for
     *     {@value #STORE_ENV}, else {@code sqlite}
     * @param dataDir the server's data directory: where the SQLite journal lives
     * @throws JournalException when it cannot be opened, or {@code store} names no store Maze knows
     */
    public static ServerJournal open(String store, Path dataDir) throws JournalException {
        return open(store, dataDir, System.getenv(PASSWORD_ENV));
    }

    /** As {@link #open(String, Path)}, with the PostgreSQL password given (null for none). */
    public static ServerJournal open(String store, Path dataDir, String password) throws JournalException {
        String chosen = chosen(store);
        if (chosen.equalsIgnoreCase("sqlite")) {
            return SqliteJournal.open(dataDir.resolve(SQLITE_FILE));
        }
        if (chosen.startsWith("jdbc:postgresql:")) {
            return PostgresJournal.open(chosen, password);
        }
        throw new JournalException("unknown store '" + describe(chosen) + "': give sqlite (the journal in the data "
                + "directory) or jdbc:postgresql://HOST:PORT/DATABASE?user=USER");
    }

    /** How messages may name {@code store} (null: the default): a PostgreSQL URL without its password. */
    public static String describe(String store) {
        return PostgresJournal.withoutPassword(chosen(store));
    }

    private static String chosen(String store) {
        if (store == null || store.isBlank()) {
            store = System.getenv(STORE_ENV);
        }
        return store == null || store.isBlank() ? "sqlite" : store.strip();
    }
}
