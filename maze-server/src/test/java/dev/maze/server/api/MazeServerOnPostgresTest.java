package dev.maze.server.api;

import dev.maze.server.store.PostgresJournal;
import dev.maze.server.store.PrivatePostgres;
import dev.maze.server.store.ServerJournal;
import org.junit.jupiter.api.BeforeEach;

/** Every test of {@link MazeServerTest} (restarts, listing, idempotency keys, streams) with the PostgreSQL journal. */
class MazeServerOnPostgresTest extends MazeServerTest {

    private PrivatePostgres postgres;
    private String url;

    @BeforeEach
    void database() throws Exception {
        postgres = PrivatePostgres.shared();
        url = postgres.createDatabase();
    }

    @Override
    ServerJournal openJournal() throws Exception {
        return PostgresJournal.open(url, postgres.password());
    }
}
