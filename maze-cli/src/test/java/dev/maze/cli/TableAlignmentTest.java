package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tables line up by the columns text takes on a terminal, whatever the user's ids and names are written in. */
class TableAlignmentTest {

    @TempDir
    Path temp;

    private static final List<String> IDS = List.of("plain", "检索增强-生成", "cafe\u0301", "rocket-\uD83D\uDE80",
            "한국어", "ｆｕｌｌｗｉｄｔｈ", "tab\there");

    @ParameterizedTest(name = "{0} = {1} columns")
    @CsvSource(delimiter = '|', value = {"abc | 3", "检索 | 4", "cafe\u0301 | 4", "\uD83D\uDE80 | 2", "한국 | 4",
        "ｆｕｌｌ | 8", "a\u200Db | 2", "e\u20DD | 1", "'' | 0"})
    void displayWidthCountsColumnsNotUtf16Units(String text, int columns) {
        assertThat(DisplayWidth.of(text)).isEqualTo(columns);
    }

    @Test
    void truncationNeverSplitsAWideCharacterAndControlsAreShownAsQuestionMarks() {
        assertThat(DisplayWidth.truncate("检索增强生成", 6)).isEqualTo("检索~");
        assertThat(DisplayWidth.of(DisplayWidth.truncate("检索增强生成", 6))).isLessThanOrEqualTo(6);
        assertThat(DisplayWidth.truncate("short", 10)).isEqualTo("short");
        assertThat(DisplayWidth.printable("a\u001b[2Jb\nc")).isEqualTo("a?[2Jb?c");
        assertThat(DisplayWidth.padRight("检索", 6)).isEqualTo("检索  ");
        assertThat(DisplayWidth.padLeft("é", 3)).isEqualTo("  é");
    }

    @Test
    void theRunSummaryLinesUpWhateverTheWorkflowIdsAreMadeOf() throws Exception {
        StringBuilder yaml = new StringBuilder();
        for (String id : IDS) {
            yaml.append("- id: \"").append(id.replace("\t", "\\t")).append("\"\n  name: \"n-").append(id.replace("\t", "\\t"))
                    .append("\"\n  tasks: [{id: a, kind: sim, inputs: {seconds: 0}}]\n");
        }
        Path file = temp.resolve("ids.yaml");
        Files.writeString(file, yaml.toString());
        InProcessMaze.Result result = maze("run", file.toString(), "-q", "--gpus", "0", "--predictor", "heuristic");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> rows = result.out().lines().filter(line -> line.contains("FINISHED") || line.startsWith("WORKFLOW")).toList();
        assertThat(rows).hasSize(IDS.size() + 1);
        for (String row : rows) {
            String status = row.startsWith("WORKFLOW") ? "STATUS" : "FINISHED";
            assertThat(DisplayWidth.of(row.substring(0, row.indexOf(status)))).as(row).isEqualTo(28 + 1 + 22 + 1);
        }
        assertThat(result.out()).contains("tab?here").doesNotContain("tab\there");
    }

    @Test
    void theSimulateTableLinesUpWhateverThePhasesAreNamed() throws Exception {
        Path workload = temp.resolve("wl.yaml");
        Files.writeString(workload, """
                name: wl
                cluster: {nodes: [{count: 2, cpu: 4, memoryGb: 32}]}
                types: [{name: t, tasks: [{id: a, duration: 1}]}]
                arrivals:
                  phases:
                    - {name: "第一阶段", durationSeconds: 100, rate: 0.1}
                    - {name: "café", durationSeconds: 100, rate: 0.1}
                    - {name: "rush \uD83D\uDE80", durationSeconds: 100, rate: 0.1}
                """);
        InProcessMaze.Result result = maze("simulate", workload.toString(), "-q", "--policy", "daps,fcfs");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> rows = result.out().lines().filter(line -> line.contains(": completed") || line.contains(": P95 s")
                || line.startsWith("workflows submitted")).toList();
        assertThat(rows).hasSize(7);
        assertThat(rows.stream().map(DisplayWidth::of).distinct()).as("every row ends in the same column").hasSize(1);
    }
}
