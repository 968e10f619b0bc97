package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.cli.InProcessMaze.Result;
import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maze predictor generate|eval|bench} in-process through the real command line, on small generated data sets:
 * real XGBoost training, real CSV files.
 */
class PredictorCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> EVAL_FIELDS =
            List.of("regressor", "mae", "mape", "r2", "trainMillis", "trainRows", "testRows");

    @TempDir
    Path temp;

    Path speech;

    @BeforeEach
    void generateSpeechData() {
        speech = temp.resolve("speech.csv");
        Result result = maze("predictor", "generate", "--tool-type", "speech_process", "--rows", "400", "--out",
                speech.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    @Test
    void helpListsTheSubcommandsWithADescription() {
        Result result = maze("predictor", "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("generate +Write a seeded synthetic data set")
                .containsPattern("eval +Compare gbt, mlp, linear and Maze's heuristic")
                .containsPattern("bench +Time training and single-row prediction");
    }

    @Test
    void generateWritesTheToolTypesFeaturesThenExecTimeReproducibly() throws Exception {
        List<String> lines = Files.readAllLines(speech);
        assertThat(lines).hasSize(401);
        assertThat(lines.get(0)).isEqualTo(String.join(",", DatasetGenerator.features("speech_process")) + ",exec_time");
        Path again = temp.resolve("nested/again.csv");
        assertThat(maze("predictor", "generate", "--tool-type", "speech_process", "--rows", "400", "--seed", "42",
                "--out", again.toString()).exitCode()).isZero();
        assertThat(Files.readAllLines(again)).isEqualTo(lines);
        Path otherSeed = temp.resolve("other.csv");
        maze("predictor", "generate", "--tool-type", "speech_process", "--rows", "400", "--seed", "7", "--out",
                otherSeed.toString());
        assertThat(Files.readAllLines(otherSeed)).isNotEqualTo(lines);
    }

    @Test
    void generateRejectsAnUnknownToolTypeListingTheKnownOnes() {
        Path out = temp.resolve("x.csv");
        Result result = maze("predictor", "generate", "--tool-type", "speech", "--rows", "10", "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown tool type 'speech'", "did you mean 'speech_process'?",
                "llm_process, vlm_process, llm_fuse2In1, speech_process");
        assertThat(out).doesNotExist();
        assertThat(maze("predictor", "generate", "--tool-type", "llm_process", "--rows", "0", "--out", out.toString())
                .err()).contains("--rows must be from 1 to 10000000, was 0");
    }

    @Test
    void evalScoresEveryRegressorOnTheHeldOutRowsAndGbtBeatsLinearAndTheHeuristic() throws Exception {
        Result result = maze("predictor", "eval", "--tool-type", "speech_process", "--data", speech.toString(), "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode scores = JSON.readTree(result.out());
        assertThat(scores).hasSize(4);
        List<String> regressors = new ArrayList<>();
        for (JsonNode score : scores) {
            regressors.add(score.get("regressor").asText());
            assertThat(fieldNames(score)).isEqualTo(new TreeSet<>(EVAL_FIELDS));
            assertThat(score.get("testRows").asInt()).isEqualTo(80);
            assertThat(score.get("mae").asDouble()).isPositive();
        }
        assertThat(regressors).containsExactly("gbt", "mlp", "linear", "heuristic");
        JsonNode gbt = scores.get(0);
        assertThat(gbt.get("r2").asDouble()).isGreaterThan(scores.get(2).get("r2").asDouble())
                .isGreaterThan(scores.get(3).get("r2").asDouble()).isGreaterThan(0.5);
        // 80 test rows of a heavy-tailed tool: R² moves with a few long runs; MAE shows the gap plainly (0.55 vs 0.98 s).
        assertThat(gbt.get("mae").asDouble()).isLessThan(0.7 * scores.get(2).get("mae").asDouble());
        assertThat(gbt.get("mape").asDouble()).as("a fraction, not a percentage").isBetween(0.01, 0.5);
        // Outliers are dropped from the 320 training rows only.
        assertThat(gbt.get("trainRows").asInt()).isBetween(250, 320);
        assertThat(gbt.get("trainMillis").asDouble()).isPositive();

        // The heuristic predicts 15 s (a GPU tool) for every test row of the seeded split; --resource cpu, 3 s.
        Dataset test = Dataset.readCsv(speech, DatasetGenerator.features("speech_process")).split(0.8, 42).test();
        JsonNode heuristic = scores.get(3);
        assertThat(heuristic.get("mae").asDouble()).isCloseTo(meanAbsoluteError(test.targets(), 15), within(1e-9));
        assertThat(heuristic.get("trainRows").asInt()).isZero();
        JsonNode cpu = JSON.readTree(maze("predictor", "eval", "--tool-type", "speech_process", "--data",
                speech.toString(), "--resource", "cpu", "--json").out()).get(3);
        assertThat(cpu.get("mae").asDouble()).isCloseTo(meanAbsoluteError(test.targets(), 3), within(1e-9));
    }

    @Test
    void evalPrintsATable() {
        Result result = maze("predictor", "eval", "--tool-type", "speech_process", "--data", speech.toString(),
                "--keep-outliers");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("speech_process", "400 rows: 320 train (outliers kept), 80 test", "MAE (s)",
                "MAPE (%)", "train (ms)", "rows train/test").containsPattern("gbt .* 320/80")
                .containsPattern("heuristic .* 0/80");
    }

    @Test
    void evalRejectsANonNumericCellNamingTheLineAndColumn() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(speech));
        lines.set(2, lines.get(2).replaceFirst("^[^,]*", "abc")); // line 3, the first column: duration
        Path bad = temp.resolve("bad.csv");
        Files.write(bad, lines);
        Result result = maze("predictor", "eval", "--tool-type", "speech_process", "--data", bad.toString(), "--json");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("bad.csv", "line 3", "'duration'", "'abc' is not a number");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void evalNeedsTenRows() throws Exception {
        Path small = temp.resolve("small.csv");
        Files.write(small, Files.readAllLines(speech).subList(0, 10)); // header + 9 rows
        Result result = maze("predictor", "eval", "--tool-type", "speech_process", "--data", small.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("small.csv has 9 rows", "at least 10");
    }

    @Test
    void evalRejectsAnUnknownToolTypeAndAMissingFile() {
        Result unknown = maze("predictor", "eval", "--tool-type", "vlm", "--data", speech.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown tool type 'vlm'", "did you mean 'vlm_process'?",
                "llm_process, vlm_process, llm_fuse2In1, speech_process", "--tool-types");
        Result missing = maze("predictor", "eval", "--tool-type", "speech_process", "--data", "nope.csv");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("'nope.csv' does not exist");
        Result resource = maze("predictor", "eval", "--tool-type", "speech_process", "--data", speech.toString(),
                "--resource", "tpu");
        assertThat(resource.exitCode()).isEqualTo(2);
        assertThat(resource.err()).contains("--resource must be gpu, cpu or io");
    }

    @Test
    void evalFillsMissingColumnsWithTheToolTypesDefaultsElseMediansAndSaysWhichHaveNoValue() throws Exception {
        Path llm = temp.resolve("llm.csv");
        maze("predictor", "generate", "--tool-type", "llm_process", "--rows", "200", "--out", llm.toString());
        // Keep token_count and exec_time only: batch_size and reason take Maze's defaults, text_length has none.
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(llm)) {
            String[] cells = line.split(",");
            kept.add(cells[1] + "," + cells[4] + ",extra");
        }
        Path partial = temp.resolve("partial.csv");
        Files.write(partial, kept);
        Result result = maze("predictor", "eval", "--tool-type", "llm_process", "--data", partial.toString(), "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("text_length").doesNotContain("batch_size", "reason");
        assertThat(JSON.readTree(result.out())).hasSize(4);
    }

    @Test
    void evalReadsToolTypesFromAConfigurationFile() throws Exception {
        Path config = temp.resolve("tool-types.yaml");
        Files.writeString(config, """
                toolTypes:
                  transcribe:
                    features: [duration, audio_energy]
                """);
        Result result = maze("predictor", "eval", "--tool-type", "transcribe", "--tool-types", config.toString(),
                "--data", speech.toString(), "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(JSON.readTree(result.out())).hasSize(4);

        Files.writeString(config, "toolTypes:\n  transcribe:\n    featurs: [duration]\n");
        Result invalid = maze("predictor", "eval", "--tool-type", "transcribe", "--tool-types", config.toString(),
                "--data", speech.toString());
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.err()).contains("tool-types.yaml", "tool type 'transcribe'", "featurs");
    }

    @Test
    void benchReportsTrainingTimeAndPredictionLatencyPerRegressor() throws Exception {
        Result result = maze("predictor", "bench", "--tool-type", "llm_process", "--rows", "200", "--warm-up-batches", "1",
                "--batches", "3", "--batch-calls", "200", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode bench = JSON.readTree(result.out());
        assertThat(bench.get("toolType").asText()).isEqualTo("llm_process");
        assertThat(bench.get("regressors")).hasSize(3);
        List<String> kinds = new ArrayList<>();
        for (JsonNode regressor : bench.get("regressors")) {
            kinds.add(regressor.get("regressor").asText());
            assertThat(regressor.get("predictMedianNanos").asDouble()).isPositive()
                    .isBetween(regressor.get("predictMinNanos").asDouble(), regressor.get("predictMaxNanos").asDouble());
            assertThat(regressor.get("trainMillis").asDouble()).isPositive();
            assertThat(regressor.get("modelBytes").asInt()).isPositive();
        }
        assertThat(kinds).containsExactly("gbt", "mlp", "linear");
        assertThat(maze("predictor", "bench", "--batches", "0").exitCode()).isEqualTo(2);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static double meanAbsoluteError(double[] actual, double constant) {
        double sum = 0;
        for (double value : actual) {
            sum += Math.abs(value - constant);
        }
        return sum / actual.length;
    }
}
