package dev.maze.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maze.core.engine.Engine;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.predict.RuntimePredictor;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.predict.model.RegressorKind;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The engine with the learned predictor: features a predecessor states reach its successor's prediction. */
class EngineIntegrationTest {

    @Test
    void featuresFromAPredecessorDriveTheSuccessorsPredictionAndItsSample() throws Exception {
        try (LearnedPredictor learned = LearnedPredictor.open(
                PredictorConfig.defaults(null).withRegressor(RegressorKind.LINEAR), ToolTypes.builtIn())) {
            // llm_process takes token_count / 10 seconds.
            for (int i = 0; i < 60; i++) {
                double tokens = 100 + 20 * i;
                learned.observe(LearnedPredictorTest.task("llm_process", LearnedPredictorTest.GPU, Map.of("token_count", tokens)),
                        List.of(), tokens / 10);
            }
            learned.awaitIdle();

            Map<String, Double> predicted = new ConcurrentHashMap<>();
            RuntimePredictor recording = new RuntimePredictor() {
                @Override
                public double predictSeconds(TaskSpec task) {
                    return predictSeconds(task, List.of());
                }

                @Override
                public double predictSeconds(TaskSpec task, List<Map<String, Double>> fromPredecessors) {
                    double seconds = learned.predictSeconds(task, fromPredecessors);
                    predicted.put(task.id(), seconds);
                    return seconds;
                }

                @Override
                public void observe(TaskSpec task, List<Map<String, Double>> fromPredecessors, double actualSeconds) {
                    learned.observe(task, fromPredecessors, actualSeconds);
                }
            };
            var hint = new ObjectMapper().readTree("{\"succ_task_feat\": {\"answer\": {\"token_count\": 1000}}}");
            Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n", 4, 8, 1, 80)))
                    .predictor(recording).build();
            var handle = engine.submit(WorkflowBuilder.workflow("qa").id("qa")
                    .task("retrieve", t -> t.input("seconds", 1).input("output", hint))
                    .task("answer", t -> t.toolType("llm_process").gpu("m").dependsOn("retrieve").input("seconds", 100))
                    .build());
            engine.runUntilIdle();
            assertThat(handle.result().get().state()).isEqualTo(WorkflowState.FINISHED);

            assertThat(predicted.get("answer")).as("token_count 1000 -> about 100 s").isCloseTo(100.0, within(5.0));
            learned.awaitIdle();
            assertThat(learned.status()).filteredOn(s -> s.toolType().equals("llm_process")).singleElement()
                    .satisfies(s -> assertThat(s.samples()).isEqualTo(61));
        }
    }
}
