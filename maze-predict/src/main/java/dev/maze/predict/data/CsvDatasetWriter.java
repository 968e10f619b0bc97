package dev.maze.predict.data;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes data sets in the CSV layout that {@link CsvDatasetReader} reads: a header of feature names then
 * {@value Dataset#TARGET_COLUMN}, numbers written so that they read back to the same {@code double}.
 */
final class CsvDatasetWriter {
    private CsvDatasetWriter() {}

    static void write(Path file, List<String> featureNames, double[][] rows, double[] targets) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, UTF_8)) {
            writer.write(header(featureNames));
            writer.newLine();
            for (int i = 0; i < rows.length; i++) {
                writer.write(line(rows[i], targets[i]));
                writer.newLine();
            }
        }
    }

    static void append(Path file, List<String> featureNames, double[] row, double target) throws IOException {
        String expectedHeader = header(featureNames);
        StringBuilder text = new StringBuilder();
        if (Files.notExists(file) || Files.size(file) == 0) {
            text.append(expectedHeader).append(System.lineSeparator());
        } else {
            String existingHeader = firstNonBlankLine(file);
            if (!expectedHeader.equals(existingHeader)) {
                throw new DatasetException(file + " line 1: header '" + existingHeader + "' differs from '"
                        + expectedHeader + "'; appending would put values under the wrong columns, so write to a new file");
            }
        }
        text.append(line(row, target)).append(System.lineSeparator());
        Files.writeString(file, text, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String firstNonBlankLine(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    return line.strip().replace("\uFEFF", "");
                }
            }
            return "";
        }
    }

    private static String header(List<String> featureNames) {
        return String.join(",", featureNames) + "," + Dataset.TARGET_COLUMN;
    }

    private static String line(double[] row, double target) {
        StringBuilder line = new StringBuilder(row.length * 8 + 8);
        for (double value : row) {
            line.append(number(value)).append(',');
        }
        return line.append(number(target)).toString();
    }

    /** Whole numbers without ".0" (counts and pixel sizes stay readable); others in round-trip form. */
    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
