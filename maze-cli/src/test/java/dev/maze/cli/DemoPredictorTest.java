package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.predict.ToolType;
import dev.maze.predict.ToolTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo teaches the execution-time predictor: its model calls give the inputs their tool types read features
 * from, and when a model cannot be trained, {@code predictor info} says why instead of "none yet".
 */
class DemoPredictorTest {

    @TempDir
    Path temp;

    private static Path examples() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("examples/ above the working directory").isNotNull();
        return dir.resolve("examples");
    }

    @Test
    void everyExampleTaskOfABuiltInToolTypeGivesAnInputItReadsFeaturesFrom() throws Exception {
        ToolTypes toolTypes = ToolTypes.builtIn();
        List<String> silent = new ArrayList<>();
        try (Stream<Path> files = Files.list(examples())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (WorkflowSpec workflow : WorkflowParser.parseFile(file)) {
                    for (TaskSpec task : workflow.tasks()) {
                        ToolType type = toolTypes.get(task.toolType());
                        if (type == null || type.sources().isEmpty()) {
                            continue; // no features to read, or not one of the predictor's tool types
                        }
                        boolean gives = type.sources().stream().anyMatch(s -> task.inputs().has(s.input()))
                                || !task.features().isEmpty();
                        if (!gives) {
                            silent.add(file.getFileName() + " " + task.id() + " (" + task.toolType() + " reads "
                                    + type.sources().stream().map(ToolType.FeatureSource::input).toList() + ")");
                        }
                    }
                }
            }
        }
        assertThat(silent).as("tasks whose runs would teach their model nothing").isEmpty();
    }

    @Test
    void theDemoTrainsAModelAndInfoSaysWhyWhenRunsGiveNoFeature() throws Exception {
        Path config = temp.resolve("fast.yaml");
        Files.writeString(config, "executors:\n  sim: {timeScale: 0.001}\n");
        Path models = temp.resolve("models");
        // 10 llm_process runs a copy; the half whose text is a template of a predecessor's output teach no feature (the
        // predictor learns from the task as submitted), so 12 copies give the 50 a first model needs.
        InProcessMaze.Result demo = maze("demo", "--examples", examples().toString(), "--copies", "12", "--model-dir",
                models.toString(), "--config", config.toString(), "-q");
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        InProcessMaze.Result info = maze("predictor", "info", "--model-dir", models.toString());
        assertThat(info.out()).containsPattern("llm_process: \\d+ samples.*\\n  model: (gbt|mlp|linear), trained on");

        // 64 runs whose prompt is in a field llm_process does not read: no model, and info says why.
        StringBuilder workflow = new StringBuilder("name: silent\ntasks:\n");
        for (int i = 0; i < 64; i++) {
            workflow.append("  - {id: t").append(i).append(", kind: sim, toolType: llm_process, inputs: {seconds: 0, prompt: "
                    + "\"say something\"}}\n");
        }
        Path silent = temp.resolve("silent.yaml");
        Files.writeString(silent, workflow.toString());
        Path other = temp.resolve("other-models");
        InProcessMaze.Result run = maze("run", silent.toString(), "--model-dir", other.toString(), "--gpus", "0", "-q");
        assertThat(run.exitCode()).as(run.err()).isZero();
        InProcessMaze.Result why = maze("predictor", "info", "--model-dir", other.toString());
        assertThat(why.out()).contains("llm_process: 64 samples")
                .contains("model: none (not trained: 0 of 64 samples have any feature; a model needs 50. llm_process "
                        + "reads its features from inputs.text and the task's features or its predecessors' "
                        + "succ_task_feat: check that its tasks give them)")
                .doesNotContain("none yet");
    }
}
