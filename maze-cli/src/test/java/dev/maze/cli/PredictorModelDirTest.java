package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.cli.InProcessMaze.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maze predictor train|predict|info} over a model directory, in-process through the real command line. */
class PredictorModelDirTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private Path generated(String toolType, int rows) {
        Path file = temp.resolve(toolType + ".csv");
        assertThat(maze("predictor", "generate", "--tool-type", toolType, "--rows", String.valueOf(rows), "--out",
                file.toString()).exitCode()).isZero();
        return file;
    }

    @Test
    void trainPredictAndInfoWorkOnOneModelDirectory() throws Exception {
        Path models = temp.resolve("models");
        Path data = generated("llm_process", 300);
        Result trained = maze("predictor", "train", "--tool-type", "llm_process", "--data", data.toString(),
                "--model-dir", models.toString(), "--regressor", "linear");
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("300 runs added, 300 in all").contains("trained a linear model on 300 samples");
        assertThat(models.resolve("llm_process")).isDirectoryContaining(p -> p.getFileName().toString().equals("model.json"));

        Result again = maze("predictor", "train", "--tool-type", "llm_process", "--data", data.toString(),
                "--model-dir", models.toString(), "--regressor", "linear");
        assertThat(again.out()).as("the same file twice").contains("0 runs added (300 already there), 300 in all");

        Path task = temp.resolve("task.json");
        Files.writeString(task, """
                {"id": "answer", "toolType": "llm_process", "resources": {"gpus": 1},
                 "inputs": {"text": "a short question"}, "fromPredecessors": [{"reason": 1}]}
                """);
        Result predicted = maze("predictor", "predict", task.toString(), "--model-dir", models.toString(), "--json");
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
        JsonNode answer = JSON.readTree(predicted.out());
        assertThat(answer.get("source").asText()).isEqualTo("model");
        assertThat(answer.get("seconds").asDouble()).isGreaterThanOrEqualTo(0.1);
        assertThat(answer.get("features").get("reason").asDouble()).isEqualTo(1.0);
        assertThat(answer.get("features").get("batch_size").asDouble()).as("Maze's default").isEqualTo(1.0);

        Result info = maze("predictor", "info", "--model-dir", models.toString(), "--json");
        JsonNode status = JSON.readTree(info.out()).get(0);
        assertThat(status.get("toolType").asText()).isEqualTo("llm_process");
        assertThat(status.get("samples").asInt()).isEqualTo(300);
        assertThat(status.get("regressor").asText()).isEqualTo("linear");
        assertThat(status.get("problems")).isEmpty();
    }

    @Test
    void infoReportsACorruptModelWithoutChangingAnything() throws Exception {
        Path models = temp.resolve("models");
        Path folder = Files.createDirectories(models.resolve("speech_process"));
        Files.writeString(folder.resolve("model.json"), "garbage");
        Files.writeString(folder.resolve("meta.json"), "{}");
        Result info = maze("predictor", "info", "--model-dir", models.toString());
        assertThat(info.exitCode()).isZero();
        assertThat(info.out()).contains("speech_process: 0 samples").contains("problem: ").contains("model.json");
        assertThat(folder.resolve("model.json")).as("info changes nothing").hasContent("garbage");
    }

    @Test
    void badInputIsRefusedAndNothingIsTrained() throws Exception {
        Path models = temp.resolve("models");
        Path bad = temp.resolve("bad.csv");
        Files.writeString(bad, "token_count,exec_time\n12,fast\n");
        Result result = maze("predictor", "train", "--tool-type", "llm_process", "--data", bad.toString(),
                "--model-dir", models.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("bad.csv").contains("line 2").contains("nothing was trained");
        assertThat(models).doesNotExist();

        Path few = generated("llm_process", 20);
        Result tooFew = maze("predictor", "train", "--tool-type", "llm_process", "--data", few.toString(),
                "--model-dir", models.toString());
        assertThat(tooFew.exitCode()).isEqualTo(2);
        assertThat(tooFew.err()).contains("would have 20 samples; training needs at least 50");
        assertThat(models.resolve("llm_process").resolve("dataset.csv")).as("nothing written").doesNotExist();

        Result unknown = maze("predictor", "train", "--tool-type", "llm_proces", "--data", few.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("did you mean 'llm_process'?");

        Path task = temp.resolve("task.yaml");
        Files.writeString(task, "id: a\nfromPredecessors: [{reason: yes}]\n");
        Result badTask = maze("predictor", "predict", task.toString(), "--model-dir", models.toString());
        assertThat(badTask.exitCode()).isEqualTo(2);
        assertThat(badTask.err()).contains("fromPredecessors[0].reason': expected a number");
    }
}
