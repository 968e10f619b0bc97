package dev.maze.cli;

import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maze predictor generate}: a seeded synthetic data set of one built-in tool type (see
 * {@link DatasetGenerator} for the formulas), as a CSV file that {@code maze predictor eval} and training read.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a seeded synthetic data set of a built-in tool type as CSV.",
                "Header: the tool type's features, then exec_time (seconds). Same tool type, rows and seed: same file."},
        footer = {"", "Exit codes: 0 written, 2 invalid input (unknown tool type, rows outside 1..10,000,000, unwritable file)."})
final class PredictorGenerateCommand implements Callable<Integer> {

    @Option(names = "--tool-type", required = true, paramLabel = "T",
            description = "Tool type: ${COMPLETION-CANDIDATES}.", completionCandidates = GeneratedToolTypes.class)
    String toolType;

    static final int MAX_ROWS = 10_000_000;

    @Option(names = "--rows", required = true, paramLabel = "N", description = "Rows to generate (1 to 10,000,000).")
    int rows;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv",
            description = "CSV file to write (replaced if it exists; missing folders are created).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PredictorChecks.checkGeneratedToolType(spec, toolType);
        // Rows are built in memory before they are written: beyond this the JVM would run out of heap.
        OptionRange.whole(spec, "--rows", rows, 1, MAX_ROWS);
        Dataset data = DatasetGenerator.generate(toolType, rows, seed);
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            data.writeCsv(out);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "cannot write --out " + out + ": " + FileErrors.describe(e));
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("maze: wrote %,d rows of %s (seed %d, %d features + %s) to %s%n", rows, toolType, seed,
                data.featureCount(), Dataset.TARGET_COLUMN, out);
        err.flush();
        return 0;
    }

    /** The tool types the generator knows, for help and completion. */
    static final class GeneratedToolTypes implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return DatasetGenerator.toolTypes().iterator();
        }
    }
}
