package dev.maze.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The STG loader on the shared sample reproduces each file's own header: task and edge counts, critical path. */
class StgLoaderTest {

    static final Path SAMPLE = Path.of(System.getProperty("user.dir")).getParent().resolve("benchmarks/stg")
            .normalize();

    @TempDir
    Path dir;

    static List<Path> graphs() throws IOException {
        try (Stream<Path> files = Files.walk(SAMPLE)) {
            return files.filter(f -> f.toString().endsWith(".stg")).sorted().toList();
        }
    }

    private static int header(String text, String field) {
        Matcher m = Pattern.compile("#\\s+" + field + "\\s*:\\s*(\\d+)").matcher(text);
        assertThat(m.find()).as(field).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void everySampleGraphHasTheTasksEdgesAndCriticalPathItsHeaderStates() throws IOException {
        List<Path> graphs = graphs();
        assertThat(graphs).hasSize(30);
        for (Path graph : graphs) {
            String text = Files.readString(graph);
            Problem problem = StgLoader.problem(graph, 4);
            assertThat(problem.size()).as(graph.toString()).isEqualTo(header(text, "Tasks"));
            long edges = problem.tasks().stream().mapToLong(t -> t.after().size()).sum();
            assertThat(edges).as(graph + " edges between real tasks").isEqualTo(header(text, "Edges"));
            assertThat(LowerBounds.of(problem).path()).as(graph + " critical path").isEqualTo(header(text, "CP Length"));
        }
    }

    @Test
    void aBrokenFileIsRefusedNamingItAndWhatIsWrong() throws IOException {
        Path truncated = Files.writeString(dir.resolve("t.stg"), "3\n0 0 0\n1 4 1 0\n");
        assertThatThrownBy(() -> StgLoader.read(truncated)).hasMessageContaining("t.stg")
                .hasMessageContaining("the file ends where task 2's id should be");
        Path forward = Files.writeString(dir.resolve("f.stg"), "2\n0 0 0\n1 4 1 2\n2 3 1 0\n3 0 2 1 2\n");
        assertThatThrownBy(() -> StgLoader.read(forward)).hasMessageContaining("f.stg")
                .hasMessageContaining("task 1 names predecessor 2");
        Path words = Files.writeString(dir.resolve("w.stg"), "two\n");
        assertThatThrownBy(() -> StgLoader.read(words)).hasMessageContaining("must be a whole number, not 'two'");
    }
}
