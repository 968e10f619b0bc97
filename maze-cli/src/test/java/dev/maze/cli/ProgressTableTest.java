package dev.maze.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.engine.EngineListener.TaskEvent;
import dev.maze.core.engine.EngineListener.WorkflowEvent;
import dev.maze.core.engine.TaskState;
import dev.maze.core.engine.WorkflowState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The live progress table as a terminal shows it: what is left on the screen once every redraw (cursor up, clear
 * below) has been applied, by a small terminal that wraps long lines as a real one does.
 */
class ProgressTableTest {

    /** The screen of a terminal {@code width} columns wide after {@code output}: lines, cursor moves, clears, wraps. */
    static List<String> screen(String output, int width) {
        List<StringBuilder> rows = new ArrayList<>(List.of(new StringBuilder()));
        int row = 0;
        Matcher escape = Pattern.compile("\u001b\\[(\\d*)([FJ])").matcher(output);
        int i = 0;
        while (i < output.length()) {
            if (escape.find(i) && escape.start() == i) {
                if (escape.group(2).equals("F")) {
                    row = Math.max(0, row - Integer.parseInt(escape.group(1)));
                    rows.get(row).setLength(0); // the redraw writes the whole line again from column 0
                } else {
                    rows.subList(row + 1, rows.size()).clear();
                }
                i = escape.end();
                continue;
            }
            char c = output.charAt(i++);
            if (c == '\n') {
                row++;
                if (row == rows.size()) {
                    rows.add(new StringBuilder());
                }
                rows.get(row).setLength(0);
            } else {
                if (DisplayWidth.of(rows.get(row).toString()) >= width) { // a full line wraps onto the next
                    row++;
                    if (row == rows.size()) {
                        rows.add(new StringBuilder());
                    }
                    rows.get(row).setLength(0);
                }
                rows.get(row).append(c);
            }
        }
        return rows.stream().map(StringBuilder::toString).filter(line -> !line.isEmpty()).toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 10 s");
            }
            Thread.onSpinWait();
            Thread.sleep(5); // a polling interval while awaiting the condition, with the deadline above
        }
    }

    private static void workflow(Progress progress, String id, int tasks) {
        progress.onWorkflowEvent(new WorkflowEvent(id, id.replaceAll("-\\d+$", ""), WorkflowState.RUNNING, 0, null));
        for (int t = 0; t < tasks; t++) {
            progress.onTaskEvent(new TaskEvent(id, "t" + t, TaskState.PENDING, 0, null, 0, null, 0, List.of(), null));
        }
    }

    @Test
    void whatIsPrintedBeforeAndDuringTheTableStaysAboveItAndNoFrameIsLeftBehind() throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter err = new PrintWriter(text, true);
        int width = 72;
        java.io.PrintStream before = System.err;
        Progress progress = new Progress(err, true, true, width);
        // What WorkflowRunner does: workflows accepted, its one line, then the table starts.
        workflow(progress, "rag-1", 3);
        workflow(progress, "检索增强生成-2", 2); // CJK: two columns a character
        workflow(progress, "cafe\u0301-\uD83D\uDE80-3", 1); // a combining accent (no column) and an emoji (two)
        err.println("maze: running 3 workflow(s) with policy daps on node local (8 cores, 64 GB, 4 GPUs of 80 GB, virtual)"
                + "; predictor learned");
        progress.start();
        await(() -> text.toString().contains("WORKFLOW"));
        System.err.println("WARN a library logs while the table is live, in a line longer than the terminal is wide");
        await(() -> text.toString().contains("WARN a library"));
        progress.onWorkflowEvent(new WorkflowEvent("rag-1", "rag", WorkflowState.FINISHED, 12, null));
        progress.close();

        List<String> screen = screen(text.toString(), width);
        assertThat(screen.get(0)).startsWith("maze: running 3 workflow(s)"); // wrapped: it was printed as is
        assertThat(screen.stream().filter(line -> line.startsWith("WARN a library"))).hasSize(1);
        assertThat(screen.stream().filter(line -> line.contains("WORKFLOW") && line.contains("STATUS")))
                .as("one table, no stale frame above it").hasSize(1);
        assertThat(screen.stream().filter(line -> line.startsWith("maze ") && line.contains("]  ")))
                .as("one header line").hasSize(1).allSatisfy(line -> assertThat(line).contains("1/3 workflows done"));
        int tableStart = screen.indexOf(screen.stream().filter(line -> line.startsWith("maze ")).findFirst().orElseThrow());
        assertThat(screen.subList(tableStart, screen.size()))
                .allSatisfy(line -> assertThat(DisplayWidth.of(line)).isLessThan(width));
        // Rows line up by columns whatever the ids are made of.
        List<Integer> statusColumns = screen.stream().filter(line -> line.contains("RUNNING ") || line.contains("FINISHED"))
                .filter(line -> line.startsWith("  "))
                .map(line -> DisplayWidth.of(line.substring(0, Math.max(line.indexOf("RUNNING"), line.indexOf("FINISHED")))))
                .toList();
        assertThat(statusColumns).hasSize(3).containsOnly(31);
        assertThat(System.err).as("stderr given back").isSameAs(before);
    }
}
