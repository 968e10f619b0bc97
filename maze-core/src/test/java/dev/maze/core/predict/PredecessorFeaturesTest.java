package dev.maze.core.predict;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maze.core.engine.Engine;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Features a finished task states for its successors ({@code succ_task_feat}) reach the predictor. */
class PredecessorFeaturesTest {

    /** Records what the engine hands over, per task id, for predictions and observations. */
    static final class Recording implements RuntimePredictor {
        final Map<String, List<Map<String, Double>>> predicted = new HashMap<>();
        final Map<String, List<Map<String, Double>>> observed = new HashMap<>();
        final Map<String, Map<String, Double>> ownFeaturesObserved = new HashMap<>();

        @Override
        public double predictSeconds(TaskSpec task) {
            return 1;
        }

        @Override
        public double predictSeconds(TaskSpec task, List<Map<String, Double>> fromPredecessors) {
            predicted.put(task.id(), new ArrayList<>(fromPredecessors));
            return 1;
        }

        @Override
        public void observe(TaskSpec task, List<Map<String, Double>> fromPredecessors, double actualSeconds) {
            observed.put(task.id(), new ArrayList<>(fromPredecessors));
            ownFeaturesObserved.put(task.id(), task.features());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachPredecessorsStatementReachesItsSuccessorsPredictionAndObservation() throws Exception {
        Recording predictor = new Recording();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n", 4, 8, 0, 0)))
                .predictor(predictor).build();
        var forFuse = JSON.readTree("{\"succ_task_feat\": {\"fuse\": {\"text1_length\": 120, \"reason\": true}, \"other\": {\"x\": 1}}}");
        var forAll = JSON.readTree("{\"succ_task_feat\": {\"*\": {\"text2_length\": 80, \"note\": \"ignored\"}}}");
        var malformed = JSON.readTree("{\"succ_task_feat\": 7}");
        var handle = engine.submit(WorkflowBuilder.workflow("fuse").id("fuse")
                .task("a", t -> t.input("seconds", 1).input("output", forFuse))
                .task("b", t -> t.input("seconds", 2).input("output", forAll))
                .task("c", t -> t.input("seconds", 1).input("output", malformed))
                .task("fuse", t -> t.dependsOn("a", "b", "c").input("seconds", 1))
                .build());
        engine.runUntilIdle();

        assertThat(handle.result().get().state()).isEqualTo(WorkflowState.FINISHED);
        // In the order the predecessors finished: a (1 s) before b (2 s); c's malformed statement is ignored.
        List<Map<String, Double>> expected = List.of(Map.of("text1_length", 120.0, "reason", 1.0),
                Map.of("text2_length", 80.0));
        assertThat(predictor.predicted.get("fuse")).isEqualTo(expected);
        assertThat(predictor.observed.get("fuse")).isEqualTo(expected);
        assertThat(predictor.predicted.get("a")).isEmpty();
    }

    @Test
    void featuresATaskMeasuredOfItselfAreWhatThePredictorLearnsFrom() throws Exception {
        Recording predictor = new Recording();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n", 4, 8, 0, 0)))
                .predictor(predictor).build();
        var measured = JSON.readTree("{\"text\": \"hi\", \"curr_task_feat\": {\"token_count\": 812, \"reason\": false, "
                + "\"note\": \"ignored\"}}");
        var handle = engine.submit(WorkflowBuilder.workflow("m").id("m")
                .task("call", t -> t.input("seconds", 1).input("output", measured).feature("token_count", 5)
                        .feature("batch_size", 2))
                .task("plain", t -> t.input("seconds", 1).feature("batch_size", 3))
                .build());
        engine.runUntilIdle();

        assertThat(handle.result().get().state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(predictor.ownFeaturesObserved.get("call")).as("measured over stated")
                .isEqualTo(Map.of("token_count", 812.0, "reason", 0.0, "batch_size", 2.0));
        assertThat(predictor.ownFeaturesObserved.get("plain")).isEqualTo(Map.of("batch_size", 3.0));
    }
}
