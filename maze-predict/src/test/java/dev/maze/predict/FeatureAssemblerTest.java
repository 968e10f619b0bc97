package dev.maze.predict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.TaskSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each feature of a row comes from, and in which order sources win. */
class FeatureAssemblerTest {

    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private final FeatureAssembler assembler = new FeatureAssembler(background);
    private final ToolTypes types = ToolTypes.builtIn();

    @AfterEach
    void stop() {
        background.shutdownNow();
    }

    private static TaskSpec task(String toolType, ObjectNode inputs, Map<String, Double> features) {
        return new TaskSpec("t", "sim", toolType, List.of(), new Resources(0, 0, 1, 0, "m"), inputs, null,
                RetryPolicy.NONE, features, null);
    }

    private static Map<String, Double> named(ToolType type, double[] row) {
        Map<String, Double> named = new java.util.LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            named.put(type.features().get(i), row[i]);
        }
        return named;
    }

    @Test
    void ownFeaturesBeatInputsWhichBeatPredecessorsWhichBeatDefaults() {
        ToolType llm = types.get("llm_process");
        ObjectNode inputs = JsonNodeFactory.instance.objectNode().put("text", "hello world").put("batch_size", 4);
        double[] row = assembler.row(llm, task("llm_process", inputs, Map.of("text_length", 99.0)),
                List.of(Map.of("token_count", 500.0, "text_length", 1.0, "batch_size", 8.0)), false);
        Map<String, Double> named = named(llm, row);
        assertThat(named.get("text_length")).as("own feature").isEqualTo(99.0);
        assertThat(named.get("token_count")).as("from the text input").isEqualTo(2.0);
        assertThat(named.get("batch_size")).as("numeric input").isEqualTo(4.0);
        assertThat(named.get("reason")).as("Maze's default").isEqualTo(0.0);
    }

    @Test
    void templatedInputsWaitForWhatPredecessorsStateAndSeveralPredecessorsCombine() {
        ToolType fuse = types.get("llm_fuse2In1");
        ObjectNode inputs = JsonNodeFactory.instance.objectNode().put("text1", "{{tasks.a.output.text}}");
        double[] row = assembler.row(fuse, task("llm_fuse2In1", inputs, Map.of()), List.of(
                Map.of("text1_length", 100.0, "reason", 0.0), Map.of("text1_length", 50.0, "reason", 1.0)), false);
        Map<String, Double> named = named(fuse, row);
        assertThat(named.get("text1_length")).as("sum by default").isEqualTo(150.0);
        assertThat(named.get("reason")).as("max for reason").isEqualTo(1.0);
        assertThat(named.get("text2_length")).isNaN();
    }

    @Test
    void nothingKnownButDefaultsIsNoRow() {
        assertThat(assembler.row(types.get("llm_process"), task("llm_process", JsonNodeFactory.instance.objectNode(),
                Map.of()), List.of(), false)).isNull();
    }

    @Test
    void imageFeaturesComeFromTheFileInTheBackgroundOnTheEngineLoopAndAtOnceWhenBlocking(@TempDir Path dir) throws Exception {
        BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        Path file = dir.resolve("page.png");
        ImageIO.write(image, "png", file.toFile());
        ToolType vlm = types.get("vlm_process");
        TaskSpec task = task("vlm_process", JsonNodeFactory.instance.objectNode().put("image", file.toString())
                .put("prompt", "describe"), Map.of());

        double[] first = assembler.row(vlm, task, List.of(), false);
        assertThat(named(vlm, first).get("image_area")).as("not read on the loop").isNaN();
        background.submit(() -> {}).get(5, TimeUnit.SECONDS);
        assertThat(named(vlm, assembler.row(vlm, task, List.of(), false)).get("image_area")).isEqualTo(800.0);

        FeatureAssembler fresh = new FeatureAssembler(background);
        Map<String, Double> blocking = named(vlm, fresh.row(vlm, task, List.of(), true));
        assertThat(blocking.get("image_width")).isEqualTo(40.0);
        assertThat(blocking.get("image_entropy")).as("flat black").isEqualTo(0.0);
        assertThat(blocking.get("batch_size")).isEqualTo(1.0);
    }
}
