package dev.maze.predict.model;

import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetGenerator;
import java.util.Locale;

/**
 * Benchmark, not a test: trains every regressor kind on generated data for every tool type and prints
 * accuracy on a held-out 20%, training time and single-row prediction latency as Markdown tables (the
 * figures in MODELS.md). Run from the repository root:
 *
 * <pre>{@code
 * ./mvnw -q -pl maze-predict test-compile
 * ./mvnw -q -pl maze-predict dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * cd maze-predict && java --enable-native-access=ALL-UNNAMED \
 *     -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.maze.predict.model.ModelQualityReport [rows] [seed]
 * }</pre>
 */
public final class ModelQualityReport {
    private ModelQualityReport() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        System.out.printf(Locale.ROOT, "Accuracy on a seeded 80/20 split of %d generated rows (seed %d)%n%n", rows, seed);
        System.out.println("| tool type | kind | R² | MAE (s) | MAPE | train (ms) |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (String toolType : DatasetGenerator.toolTypes()) {
            Dataset.Split split = DatasetGenerator.generate(toolType, rows, seed).split(0.8, seed);
            for (RegressorKind kind : RegressorKind.values()) {
                long start = System.nanoTime();
                Model model = kind.train(split.train(), seed);
                double trainMillis = (System.nanoTime() - start) / 1e6;
                Metrics.Evaluation evaluation = Metrics.evaluate(model, split.test());
                System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.1f%% | %.0f |%n", toolType, kind.id(),
                        evaluation.r2(), evaluation.mae(), 100 * evaluation.mape(), trainMillis);
            }
        }

        Dataset vlm = DatasetGenerator.generate("vlm_process", rows, seed);
        System.out.printf(Locale.ROOT, "%nSingle-row predict on vlm_process, trained on all %d rows%n%n", rows);
        System.out.println("| kind | train (ms) | median predict (ns) | model size (bytes) | model |");
        System.out.println("|---|---:|---:|---:|---|");
        for (RegressorKind kind : RegressorKind.values()) {
            kind.train(vlm, seed); // first training pays class loading and JIT; time the second
            long start = System.nanoTime();
            Model model = kind.train(vlm, seed);
            double trainMillis = (System.nanoTime() - start) / 1e6;
            double nanos = PredictionLatency.medianNanos(model, vlm.rows(), 200_000);
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %d | %s |%n",
                    kind.id(), trainMillis, nanos, model.toBytes().length, model);
        }
    }
}
