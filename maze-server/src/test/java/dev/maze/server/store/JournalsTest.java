package dev.maze.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.engine.StateJournal.JournalException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalsTest {

    @TempDir
    Path dir;

    @Test
    void sqliteIsTheJournalFileInTheDataDirectory() throws Exception {
        try (ServerJournal journal = Journals.open("sqlite", dir, null)) {
            assertThat(journal).isInstanceOf(SqliteJournal.class);
        }
        assertThat(Files.isRegularFile(dir.resolve("journal.db"))).isTrue();
    }

    @Test
    void anUnknownStoreIsRefusedSayingWhatIsKnown() {
        assertThatThrownBy(() -> Journals.open("mysql://db/maze?password=hunter2", dir, null))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("unknown store").hasMessageContaining("jdbc:postgresql://HOST:PORT/DATABASE")
                .message().doesNotContain("hunter2");
    }

    @Test
    void aUrlIsShownWithoutItsPassword() {
        assertThat(Journals.describe("jdbc:postgresql://h:5432/db?user=u&password=p&ssl=true"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=u&ssl=true");
        assertThat(Journals.describe("jdbc:postgresql://h/db?password=p&user=u")).isEqualTo("jdbc:postgresql://h/db?user=u");
        assertThat(Journals.describe("jdbc:postgresql://h/db?user=u&PASSWORD=p")).isEqualTo("jdbc:postgresql://h/db?user=u");
        assertThat(Journals.describe("jdbc:postgresql://h/db?password=p")).isEqualTo("jdbc:postgresql://h/db");
        assertThat(Journals.describe("sqlite")).isEqualTo("sqlite");
    }
}
