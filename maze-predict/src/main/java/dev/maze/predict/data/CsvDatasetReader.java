package dev.maze.predict.data;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the comma-separated files that hold measured executions. The files hold numbers only, so a cell
 * is split on commas without quoting rules; header names may be wrapped in double quotes (spreadsheets
 * and pandas sometimes write them so).
 */
final class CsvDatasetReader {
    /** Parsed rows (features in the requested order) and their execution times. */
    record Table(double[][] rows, double[] targets) {}

    private CsvDatasetReader() {}

    static Table read(Path file, List<String> featureNames) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, UTF_8)) {
            return new CsvDatasetReader.Parse(file, featureNames).run(reader);
        } catch (CharacterCodingException e) {
            throw new DatasetException(file + ": not UTF-8 text; save the file as UTF-8 CSV");
        }
    }

    /** One pass over one file; holds the column layout found in its header. */
    private static final class Parse {
        private final Path file;
        private final List<String> featureNames;
        private String[] header;
        private int[] featureColumns;
        private int targetColumn;
        private int lineNumber;

        Parse(Path file, List<String> featureNames) {
            this.file = file;
            this.featureNames = featureNames;
        }

        Table run(BufferedReader reader) throws IOException {
            List<double[]> rows = new ArrayList<>();
            double[] targets = new double[64];
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1); // byte-order mark written by some spreadsheet exports
                }
                if (line.isBlank()) {
                    continue;
                }
                if (header == null) {
                    readHeader(line);
                    continue;
                }
                if (rows.size() == targets.length) {
                    targets = Arrays.copyOf(targets, targets.length * 2);
                }
                String[] cells = line.split(",", -1);
                if (cells.length != header.length) {
                    throw error(cells.length + " cells but the header has " + header.length
                            + " columns; every row needs one value per header column");
                }
                targets[rows.size()] = target(cells[targetColumn].strip());
                rows.add(features(cells));
            }
            if (header == null) {
                throw new DatasetException(file + " is empty: expected a header row naming the columns, such as "
                        + String.join(",", featureNames) + "," + Dataset.TARGET_COLUMN);
            }
            return new Table(rows.toArray(double[][]::new), Arrays.copyOf(targets, rows.size()));
        }

        private void readHeader(String line) throws DatasetException {
            header = line.split(",", -1);
            Map<String, Integer> columns = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                header[i] = unquote(header[i].strip());
                if (columns.putIfAbsent(header[i], i) != null) {
                    throw error("column '" + header[i] + "' appears twice in the header; rename or drop one");
                }
            }
            Integer target = columns.get(Dataset.TARGET_COLUMN);
            if (target == null) {
                throw error("the header has no '" + Dataset.TARGET_COLUMN + "' column (found " + String.join(", ", header)
                        + "); add the measured execution time in seconds as a column named " + Dataset.TARGET_COLUMN);
            }
            targetColumn = target;
            featureColumns = featureNames.stream().mapToInt(name -> columns.getOrDefault(name, -1)).toArray();
        }

        private double[] features(String[] cells) throws DatasetException {
            double[] row = new double[featureColumns.length];
            for (int j = 0; j < row.length; j++) {
                int column = featureColumns[j];
                row[j] = column < 0 ? Double.NaN : feature(cells[column].strip(), column);
            }
            return row;
        }

        /** An empty or {@code NaN} cell is a missing value; anything else must be a finite number. */
        private double feature(String cell, int column) throws DatasetException {
            if (cell.isEmpty() || cell.equalsIgnoreCase("nan")) {
                return Double.NaN;
            }
            return number(cell, column);
        }

        private double target(String cell) throws DatasetException {
            if (cell.isEmpty() || cell.equalsIgnoreCase("nan")) {
                throw cellError(targetColumn, "the cell is empty; every row needs its measured execution time in seconds (delete the row if it was never measured)");
            }
            double seconds = number(cell, targetColumn);
            if (seconds < 0) {
                throw cellError(targetColumn, cell + " is negative; execution times are seconds >= 0, so fix or delete the row");
            }
            if (seconds > dev.maze.core.clock.Clock.MAX_DURATION_SECONDS) {
                throw cellError(targetColumn, cell + " s is more than the longest duration Maze accepts ("
                        + (long) dev.maze.core.clock.Clock.MAX_DURATION_SECONDS + " s); fix or delete the row");
            }
            return seconds;
        }

        private double number(String cell, int column) throws DatasetException {
            double value;
            try {
                value = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw cellError(column, "'" + cell + "' is not a number; fix the cell or delete the row");
            }
            if (Double.isInfinite(value)) {
                throw cellError(column, "'" + cell + "' is not a finite number; fix the cell or delete the row");
            }
            if (Math.abs(value) > Dataset.MAX_FEATURE_MAGNITUDE) {
                throw cellError(column, "'" + cell + "' is beyond +-" + Dataset.MAX_FEATURE_MAGNITUDE
                        + " (training would overflow); fix the cell or delete the row");
            }
            return value;
        }

        private DatasetException error(String problem) {
            return new DatasetException(file + " line " + lineNumber + ": " + problem);
        }

        private DatasetException cellError(int column, String problem) {
            return new DatasetException(file + " line " + lineNumber + ", column '" + header[column] + "': " + problem);
        }

        private static String unquote(String name) {
            return name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")
                    ? name.substring(1, name.length() - 1)
                    : name;
        }
    }
}
