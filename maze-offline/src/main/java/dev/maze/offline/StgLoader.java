package dev.maze.offline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a Standard Task Graph Set file (Tobita and Kasahara, {@code .stg}): the number of real tasks n, then n + 2
 * task lines {@code id time predecessorCount predecessorIds...} (task 0 and n + 1 are the dummy entry and exit,
 * dropped here), read by whitespace-separated tokens; lines starting with {@code #} are comments. As a problem: one
 * task per real task calling one model, on a cluster without switch costs — a plain multiprocessor scheduling problem.
 */
public final class StgLoader {

    /** The one model every STG task calls. */
    public static final String MODEL = "stg";

    private StgLoader() {}

    /** The tasks of {@code file}, as one request named after the file. */
    public static List<PlanTask> read(Path file) throws IOException {
        List<String> tokens = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String content = line.strip();
            if (content.startsWith("#") || content.isEmpty()) {
                continue;
            }
            tokens.addAll(List.of(content.split("\\s+")));
        }
        String where = file.toString();
        int[] at = {0};
        int n = number(tokens, at, where, "the number of tasks");
        if (n < 1) {
            throw new IllegalArgumentException(where + ": the number of tasks must be 1 or more, not " + n);
        }
        String request = file.getFileName().toString().replaceFirst("\\.stg$", "");
        List<PlanTask> tasks = new ArrayList<>();
        for (int expected = 0; expected < n + 2; expected++) {
            int id = number(tokens, at, where, "task " + expected + "'s id");
            if (id != expected) {
                throw new IllegalArgumentException(where + ": task " + expected + " expected, found " + id
                        + " (tasks are numbered 0 to n + 1 in order)");
            }
            int time = number(tokens, at, where, "task " + id + "'s processing time");
            int count = number(tokens, at, where, "task " + id + "'s number of predecessors");
            List<String> after = new ArrayList<>();
            for (int p = 0; p < count; p++) {
                int predecessor = number(tokens, at, where, "a predecessor of task " + id);
                if (predecessor >= id || predecessor < 0) {
                    throw new IllegalArgumentException(where + ": task " + id + " names predecessor " + predecessor
                            + "; a predecessor's id is smaller than its task's");
                }
                if (predecessor > 0) { // the entry dummy is no task
                    after.add(String.valueOf(predecessor));
                }
            }
            if (time < 0) {
                throw new IllegalArgumentException(where + ": task " + id + " has a negative processing time " + time);
            }
            if (id > 0 && id <= n) {
                tasks.add(new PlanTask(String.valueOf(id), request, MODEL, time, after));
            }
        }
        return tasks;
    }

    /** The problem {@code file} describes on {@code processors} processors. */
    public static Problem problem(Path file, int processors) throws IOException {
        return new Problem(read(file), Map.of(MODEL, new Model(MODEL, 0, 1)), Cluster.of(processors).withoutSwitchCost());
    }

    private static int number(List<String> tokens, int[] at, String where, String what) {
        if (at[0] >= tokens.size()) {
            throw new IllegalArgumentException(where + ": the file ends where " + what + " should be");
        }
        String token = tokens.get(at[0]++);
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + what + " must be a whole number, not '" + token + "'");
        }
    }
}
