package dev.maze.core.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measured task runs to replay: each row holds a task's features and its run time, as in the predictor's datasets
 * (a CSV header of feature names plus {@code exec_time}, one run per line, numbers only). A task whose duration is
 * {@code {distribution: samples, file: F}} draws one row per arrival: the scheduler sees the row's features, the
 * simulated run takes its {@code exec_time}. So a predictor can learn the link between features and time that the
 * data holds, which an independent duration distribution would not have.
 *
 * @param features feature names, in column order
 * @param rows feature values per run
 * @param seconds run time per run
 */
public record SampleTable(List<String> features, double[][] rows, double[] seconds) {

    static final String TARGET = "exec_time";

    public SampleTable {
        features = List.copyOf(features);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException whose message names the file, and the line and column of a bad cell
     */
    public static SampleTable read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": file not found; give a path relative to the workload file");
        }
        lines.removeIf(String::isBlank);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty; expected a header of feature names and exec_time, then one run per line");
        }
        List<String> header = Arrays.stream(lines.get(0).replace("\uFEFF", "").split(",", -1)).map(String::strip).toList();
        int target = header.indexOf(TARGET);
        if (target < 0) {
            throw new IOException(file + " line 1: no '" + TARGET + "' column; the header must name the run time in seconds");
        }
        List<String> features = new ArrayList<>(header);
        features.remove(target);
        double[][] rows = new double[lines.size() - 1][];
        double[] seconds = new double[lines.size() - 1];
        for (int line = 1; line < lines.size(); line++) {
            String[] cells = lines.get(line).split(",", -1);
            if (cells.length != header.size()) {
                throw new IOException(file + " line " + (line + 1) + ": " + cells.length + " cells for " + header.size() + " columns");
            }
            double[] row = new double[features.size()];
            for (int column = 0, f = 0; column < cells.length; column++) {
                double value;
                try {
                    value = Double.parseDouble(cells[column].strip());
                } catch (NumberFormatException e) {
                    throw new IOException(file + " line " + (line + 1) + ", column '" + header.get(column) + "': expected a number, found '"
                            + cells[column].strip() + "'");
                }
                if (column == target) {
                    if (!(value >= 0) || !Double.isFinite(value)) {
                        throw new IOException(file + " line " + (line + 1) + ", column '" + TARGET + "': expected seconds >= 0, found " + value);
                    }
                    seconds[line - 1] = value;
                } else {
                    row[f++] = value;
                }
            }
            rows[line - 1] = row;
        }
        if (rows.length == 0) {
            throw new IOException(file + ": no runs after the header");
        }
        return new SampleTable(features, rows, seconds);
    }

    public int size() {
        return seconds.length;
    }

    /** Mean run time: the placeholder duration of the workflow type's template. */
    double meanSeconds() {
        return Arrays.stream(seconds).average().orElse(0);
    }
}
