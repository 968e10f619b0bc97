package dev.maze.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.clock.VirtualClock;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ids Maze generates never take an id a user chose, and a clash says what really happened. */
class WorkflowIdsTest {

    private static Engine engine() {
        return Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 4, 8, 0, 0))).build();
    }

    private static WorkflowSpec workflow(String id) {
        WorkflowBuilder builder = WorkflowBuilder.workflow("w");
        if (id != null) {
            builder.id(id);
        }
        return builder.task("a", t -> t.input("seconds", 1)).build();
    }

    @Test
    void inOneBatchTheIdAUserChoseWinsOverAGeneratedOne() throws Exception {
        Engine engine = engine();
        List<WorkflowHandle> handles = engine.submitAll(List.of(workflow(null), workflow("w-1")));
        engine.runUntilIdle();

        assertThat(handles).extracting(WorkflowHandle::id).containsExactly("w-2", "w-1");
        assertThat(handles).allSatisfy(h -> assertThat(h.result().join().state()).isEqualTo(WorkflowState.FINISHED));
    }

    @Test
    void aGeneratedIdSkipsIdsInUse() throws Exception {
        Engine engine = engine();
        engine.submit(workflow("w-1"));
        assertThat(engine.submit(workflow(null)).id()).isEqualTo("w-2");
    }

    @Test
    void aClashWithAGeneratedIdSaysSo() throws Exception {
        Engine engine = engine();
        engine.submit(workflow(null));
        assertThatThrownBy(() -> engine.submit(workflow("w-1"))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("id 'w-1' was given to a running workflow that was submitted without an id");
        engine.submit(workflow("mine"));
        assertThatThrownBy(() -> engine.submit(workflow("mine"))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("a workflow with this id is already running");
        engine.runUntilIdle();
        assertThat(engine.submit(workflow("w-1")).id()).as("free again once it ended").isEqualTo("w-1");
    }
}
