package dev.maze.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The journal: what is committed is on disk when the commit returns and comes back whole, an interrupted exploration
 * resumes where it stopped, a torn last line is read past with a warning, and any other bad line is an error naming
 * the file and the line that leaves the file as it was.
 */
class ExploreJournalTest {

    private static final String HEADER = "{\"journal\":\"maze-explore\",\"version\":1,\"direction\":\"higher\"}\n";

    @TempDir
    Path temp;

    @Test
    void everyFieldComesBackAndEachCommitIsOnDiskWhenItReturns() throws IOException, InterruptedException {
        Path file = temp.resolve("explore.jsonl");
        Feedback full = new Feedback(true, 0.8125, Outcome.OK, 0, Instant.parse("2025-03-01T10:00:00Z"),
                Instant.parse("2025-03-01T10:05:30.250Z"), "runs/0", "baseline: \"gbt\"\nwith a line feed");
        Feedback failed = Feedback.failed(Outcome.OOM, 137).withArtifacts("runs/1", null);
        try (ExperimentJournal journal = ExperimentJournal.open(file, Direction.HIGHER)) {
            TraceScheduler scheduler = TraceSchedulers.create("round-robin", journal.dag(), 2, new SplittableRandom(1));
            scheduler.commit(scheduler.next(), full);
            assertThat(Files.readAllLines(file)).as("written before the commit returned").hasSize(2);
            scheduler.commit(scheduler.next(), failed);
            scheduler.commit(scheduler.next(), Feedback.ok(false, -3.5));
        }
        assertThat(Files.readString(file)).startsWith(HEADER)
                .contains("{\"id\":0,\"parent\":null,\"accepted\":true,\"score\":0.8125,\"outcome\":\"OK\",\"exitCode\":0,"
                        + "\"startedAt\":\"2025-03-01T10:00:00Z\",\"endedAt\":\"2025-03-01T10:05:30.250Z\","
                        + "\"artifacts\":\"runs/0\",\"note\":\"baseline: \\\"gbt\\\"\\nwith a line feed\"}\n");
        ExperimentJournal.Contents contents = ExperimentJournal.read(file);
        assertThat(contents.warnings()).isEmpty();
        assertThat(contents.dag().direction()).isEqualTo(Direction.HIGHER);
        assertThat(contents.dag().experiments()).extracting(Experiment::feedback)
                .containsExactly(full, failed, Feedback.ok(false, -3.5));
        assertThat(contents.dag().experiment(2).parent()).hasValue(0);
    }

    @Test
    void anInterruptedExplorationResumesWhereItStopped() throws IOException, InterruptedException {
        Path file = temp.resolve("explore.jsonl");
        List<Selection> straight = selections(file, 12, false);
        Files.delete(file);
        List<Selection> interrupted = selections(file, 5, true);
        interrupted.addAll(selections(file, 7, true));
        assertThat(interrupted).as("round-robin after a restart picks up the same order").isEqualTo(straight);
        assertThat(ExperimentJournal.read(file).dag().size()).isEqualTo(12);
    }

    /** Opens the journal, runs {@code count} iterations of round-robin over 3 traces (leaving one lease held). */
    private static List<Selection> selections(Path file, int count, boolean abandonOne)
            throws IOException, InterruptedException {
        try (ExperimentJournal journal = ExperimentJournal.open(file, Direction.HIGHER)) {
            TraceScheduler scheduler = TraceSchedulers.create("round-robin", journal.dag(), 3, new SplittableRandom(1));
            List<Selection> selections = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                Lease lease = scheduler.next();
                selections.add(lease.selection());
                scheduler.commit(lease, Feedback.ok(i % 2 == 0, (double) i));
            }
            if (abandonOne) {
                scheduler.next(); // in flight when the process stops: not in the journal, selected again on resume
            }
            return selections;
        }
    }

    @Test
    void aTornLastLineIsIgnoredWithAWarningAndCutOffBeforeTheNextAppend() throws IOException {
        Path file = temp.resolve("explore.jsonl");
        String good = HEADER + "{\"id\":0,\"parent\":null,\"accepted\":true,\"score\":1.0,\"outcome\":\"OK\"}\n";
        Files.writeString(file, good + "{\"id\":1,\"parent\":0,\"acc");
        ExperimentJournal.Contents read = ExperimentJournal.read(file);
        assertThat(read.dag().size()).isEqualTo(1);
        assertThat(read.warnings()).containsExactly(file + ":3: ignored an incomplete last line (23 bytes without a "
                + "line feed: a crash while it was written?)");
        assertThat(Files.readString(file)).as("read changes nothing").endsWith("\"acc");
        try (ExperimentJournal journal = ExperimentJournal.open(file, Direction.HIGHER)) {
            assertThat(journal.warnings()).hasSize(1);
            assertThat(Files.readString(file)).as("cut off at open").isEqualTo(good);
            Dags.child(journal.dag(), 0, Dags.REJECTED);
        }
        assertThat(ExperimentJournal.read(file).dag().size()).isEqualTo(2);
        assertThat(ExperimentJournal.read(file).warnings()).isEmpty();
    }

    @Test
    void aLastLineCutJustBeforeItsLineFeedIsKept() throws IOException {
        Path file = temp.resolve("explore.jsonl");
        Files.writeString(file, HEADER + "{\"id\":0,\"parent\":null,\"accepted\":false,\"outcome\":\"ERROR\"}");
        try (ExperimentJournal journal = ExperimentJournal.open(file, Direction.HIGHER)) {
            assertThat(journal.warnings()).isEmpty();
            assertThat(journal.dag().size()).isEqualTo(1);
            Dags.root(journal.dag(), Dags.ACCEPTED);
        }
        assertThat(Files.readAllLines(file)).hasSize(3);
        assertThat(ExperimentJournal.read(file).dag().size()).isEqualTo(2);
    }

    @Test
    void aNewOrEmptyOrTornHeaderOnlyJournalStartsWithItsHeader() throws IOException {
        Path created = temp.resolve("new.jsonl");
        ExperimentJournal.open(created, Direction.LOWER).close();
        assertThat(Files.readString(created)).isEqualTo(HEADER.replace("higher", "lower"));
        Path torn = temp.resolve("torn.jsonl");
        Files.writeString(torn, "{\"journal\":\"maze-ex");
        assertThatThrownBy(() -> ExperimentJournal.read(torn)).hasMessageContaining("no complete header line");
        try (ExperimentJournal journal = ExperimentJournal.open(torn, Direction.HIGHER)) {
            assertThat(journal.warnings()).hasSize(1);
        }
        assertThat(Files.readString(torn)).isEqualTo(HEADER);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not json | {\"id\":1,oops} | :3: not a JSON object",
        "an array | [1, 2] | :3: not a JSON object",
        "empty line | `` | :3: an empty line",
        "id out of order | {\"id\":5,\"parent\":null,\"accepted\":false,\"outcome\":\"OK\"} | :3: id 5 out of order: experiment 1 comes next",
        "unknown parent | {\"id\":1,\"parent\":1,\"accepted\":false,\"outcome\":\"OK\"} | :3: parent 1 is not an experiment committed before 1",
        "no parent field | {\"id\":1,\"accepted\":false,\"outcome\":\"OK\"} | :3: missing field 'parent'",
        "unknown field | {\"id\":1,\"parent\":0,\"accepted\":false,\"outcome\":\"OK\",\"scor\":1} | :3: experiment: unknown field 'scor' (known: id, parent, accepted, score",
        "bad outcome | {\"id\":1,\"parent\":0,\"accepted\":false,\"outcome\":\"CRASH\"} | :3: experiment 1: outcome must be one of OK, FAILED, TIMEOUT, OOM, ERROR, not 'CRASH'",
        "accepted failure | {\"id\":1,\"parent\":0,\"accepted\":true,\"outcome\":\"TIMEOUT\"} | :3: experiment 1: only an experiment whose run ended OK can be accepted",
        "score as text | {\"id\":1,\"parent\":0,\"accepted\":false,\"score\":\"0.5\",\"outcome\":\"OK\"} | :3: score must be a number or null",
        "bad time | {\"id\":1,\"parent\":0,\"accepted\":false,\"outcome\":\"OK\",\"endedAt\":\"yesterday\"} | :3: endedAt must be an ISO-8601 instant",
        "duplicate key | {\"id\":1,\"id\":1,\"parent\":0,\"accepted\":false,\"outcome\":\"OK\"} | :3: not a JSON object: Duplicate field 'id'",
        "trailing text | {\"id\":1,\"parent\":0,\"accepted\":false,\"outcome\":\"OK\"} x | :3: not a JSON object"})
    void aBadLineIsAnErrorNamingTheFileAndLineAndChangesNothing(String what, String line, String message)
            throws IOException {
        Path file = temp.resolve("explore.jsonl");
        String content = HEADER + "{\"id\":0,\"parent\":null,\"accepted\":true,\"score\":1.0,\"outcome\":\"OK\"}\n" + line
                + "\n{\"id\":2,\"parent\":null,\"accepted\":false,\"outcome\":\"OK\"}\n";
        Files.writeString(file, content);
        assertThatThrownBy(() -> ExperimentJournal.read(file)).isInstanceOf(JournalException.class)
                .hasMessageStartingWith(file + message.substring(0, message.indexOf(':', 1)))
                .hasMessageContaining(message);
        assertThatThrownBy(() -> ExperimentJournal.open(file, Direction.HIGHER)).hasMessageContaining(message)
                .satisfies(e -> assertThat(((JournalException) e).line()).isEqualTo(3));
        assertThat(Files.readString(file)).isEqualTo(content);
    }

    @Test
    void aBadLastLineWithItsLineFeedIsAnErrorNotATornLine() throws IOException {
        Path file = temp.resolve("explore.jsonl");
        Files.writeString(file, HEADER + "{\"id\":0,\"parent\":null,\"acc\n");
        assertThatThrownBy(() -> ExperimentJournal.read(file)).hasMessageStartingWith(file + ":2: not a JSON object");
        Files.writeString(file, HEADER + "{\"id\":3,\"parent\":null,\"accepted\":false,\"outcome\":\"OK\"}");
        assertThatThrownBy(() -> ExperimentJournal.read(file)).as("a whole object without its line feed is no tear")
                .hasMessageStartingWith(file + ":2: id 3 out of order");
    }

    @Test
    void headersThatAreNotThisFormatOrDirectionAreRefused() throws IOException {
        Path file = temp.resolve("explore.jsonl");
        Files.writeString(file, "{\"journal\":\"other\",\"version\":1,\"direction\":\"higher\"}\n");
        assertThatThrownBy(() -> ExperimentJournal.read(file)).hasMessageContaining(":1: not a maze-explore journal");
        Files.writeString(file, HEADER.replace("\"version\":1", "\"version\":2"));
        assertThatThrownBy(() -> ExperimentJournal.read(file))
                .hasMessageContaining(":1: written in format version 2 by a newer Maze; this one reads version 1");
        Files.writeString(file, HEADER.replace("higher", "sideways"));
        assertThatThrownBy(() -> ExperimentJournal.read(file)).hasMessageContaining("header: direction must be");
        Files.writeString(file, HEADER);
        assertThatThrownBy(() -> ExperimentJournal.open(file, Direction.LOWER))
                .hasMessageContaining(":1: this journal's scores improve higher, the exploration says lower");
        assertThat(Files.readString(file)).isEqualTo(HEADER);
        assertThatThrownBy(() -> ExperimentJournal.read(temp.resolve("missing.jsonl"))).hasMessageEndingWith(": no such file");
        Files.write(file, (HEADER + "{\"note\":\"\u00ff\"}\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ExperimentJournal.read(file)).hasMessageContaining(":2: not UTF-8 text");
    }

    @Test
    void oneProcessAtATimeAndNoCommitAfterClose() throws IOException, InterruptedException {
        Path file = temp.resolve("explore.jsonl");
        ExperimentJournal journal = ExperimentJournal.open(file, Direction.HIGHER);
        TraceScheduler scheduler = TraceSchedulers.create("sota", journal.dag(), 2, new SplittableRandom(1));
        Lease lease = scheduler.next();
        journal.close();
        assertThatThrownBy(() -> scheduler.commit(lease, Dags.ACCEPTED)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("experiment 0 was not committed").hasMessageContaining("the journal was closed");
        assertThat(scheduler.inFlight()).as("the lease is still held").containsExactly(lease);
        assertThat(scheduler.snapshot().size()).isZero();
        scheduler.release(lease);
        try (ExperimentJournal first = ExperimentJournal.open(file, Direction.HIGHER)) {
            assertThat(first.dag().size()).isZero();
            assertThatThrownBy(() -> ExperimentJournal.open(file, Direction.HIGHER)).isInstanceOf(JournalException.class)
                    .hasMessage(file + ": in use (another exploration has it open)");
        }
    }
}
