package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad CSV never poisons a model directory: bad values are refused before anything is written, bad files set aside. */
class BadDatasetTest {

    @TempDir
    Path temp;

    private Path generated() {
        Path good = temp.resolve("good.csv");
        assertThat(maze("predictor", "generate", "--tool-type", "speech_process", "--rows", "300", "--seed", "3",
                "--out", good.toString()).exitCode()).isZero();
        return good;
    }

    @Test
    void valuesBeyondTheRangeAreRefusedAndNothingIsWritten() throws Exception {
        Path good = generated();
        List<String> lines = Files.readAllLines(good);
        for (String bad : new String[] {"1e308", "-2e12", "1e9"}) {
            Path csv = temp.resolve("bad.csv");
            // The last column is exec_time: 1e9 s is beyond the longest duration; the first column a feature.
            String row = bad.equals("1e9") ? lines.get(1).replaceAll("[^,]+$", bad) : lines.get(1).replaceFirst("^[^,]+", bad);
            Files.write(csv, List.of(lines.get(0), row, lines.get(2)));
            Path models = temp.resolve("models-" + bad);
            InProcessMaze.Result result = maze("predictor", "train", "--tool-type", "speech_process", "--data",
                    csv.toString(), "--model-dir", models.toString());
            assertThat(result.exitCode()).as(bad + ": " + result.err()).isEqualTo(2);
            assertThat(result.err()).contains(csv.toString()).contains("line 2").contains(bad);
            try (Stream<Path> written = Files.exists(models) ? Files.walk(models) : Stream.empty()) {
                assertThat(written.filter(Files::isRegularFile)).as("nothing written for " + bad).isEmpty();
            }
        }
    }

    @Test
    void aModelDirectoryHoldingBadRowsSetsThemAsideAndKeepsWorking() throws Exception {
        Path good = generated();
        Path models = temp.resolve("models");
        Path folder = models.resolve("speech_process");
        Files.createDirectories(folder);
        List<String> lines = Files.readAllLines(good);
        Files.write(folder.resolve("dataset.csv"), List.of(lines.get(0), lines.get(1).replaceFirst("^[^,]+", "1e308")));

        InProcessMaze.Result trained = maze("predictor", "train", "--tool-type", "speech_process", "--data",
                good.toString(), "--model-dir", models.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.contains("corrupt"))
                    .contains("dataset.csv", "model.json");
        }
        assertThat(maze("predictor", "info", "--model-dir", models.toString(), "--json").out()).doesNotContain("Infinity");
    }
}
