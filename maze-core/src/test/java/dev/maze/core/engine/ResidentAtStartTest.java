package dev.maze.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.clock.VirtualClock;
import dev.maze.core.exec.SimExecutor;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Models resident when the engine starts: a call of one there loads nothing; a wrong node, GPU or size is refused. */
class ResidentAtStartTest {

    private static final Map<String, ModelSpec> MODELS = Map.of("a", new ModelSpec("a", 20, 30), "b",
            new ModelSpec("b", 70, 40));

    private static Engine.Builder builder() {
        return Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n0", 8, 64, 2, 80)))
                .models(MODELS).executors(Map.of("sim", new SimExecutor())).journal(StateJournal.NONE);
    }

    @Test
    void aCallOfAModelResidentAtStartLoadsNothingAndOneElsewhereLoads() throws Exception {
        try (Engine engine = builder().residentAtStart("n0", Arrays.asList("a", null)).build()) {
            WorkflowHandle handle = engine.submitAt(0, WorkflowBuilder.workflow("w").id("w")
                    .task("first", t -> t.gpu("a").input("seconds", 10))
                    .task("second", t -> t.gpu("a").input("seconds", 10))
                    .build());
            engine.runUntilIdle();
            WorkflowSnapshot done = handle.result().getNow(null);
            assertThat(done).isNotNull();
            List<Double> ends = done.tasks().stream().map(TaskSnapshot::finishedAt).sorted().toList();
            // both start at 0: one on GPU 0, where a is resident (ends at 10), one on GPU 1, loading a first (30 s)
            assertThat(ends).containsExactly(10.0, 40.0);
            assertThat(engine.stats().join().modelLoads()).isEqualTo(1);
            assertThat(engine.nodeUsage().join().get(0).gpus().get(0).residentModels()).containsExactly("a");
        }
    }

    @Test
    void aMissingNodeOrGpuOrAModelTooBigIsRefusedAtBuild() {
        assertThatThrownBy(() -> builder().residentAtStart("n9", List.of("a")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no node 'n9'");
        assertThatThrownBy(() -> builder().residentAtStart("n0", List.of("a", "a", "a")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no GPU 2");
        assertThatCode(() -> builder().residentAtStart("n0", List.of("b", "b")).build().close()).as("fits")
                .doesNotThrowAnyException();
        Map<String, ModelSpec> huge = Map.of("h", new ModelSpec("h", 100, 1));
        assertThatThrownBy(() -> builder().models(huge).residentAtStart("n0", List.of("h")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit GPU 0");
    }
}
