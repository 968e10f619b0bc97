package dev.maze.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** No message quotes without bound: a huge command or failure text is cut, saying how much was left out. */
class ExcerptTest {

    @Test
    void shortTextIsKeptAndLongTextIsCutWithACount() {
        assertThat(Excerpt.of("short")).isEqualTo("short");
        assertThat(Excerpt.of(null)).isNull();
        String cut = Excerpt.of("x".repeat(Excerpt.MAX_CHARS + 123));
        assertThat(cut).startsWith("x".repeat(Excerpt.MAX_CHARS)).endsWith(" ... (123 more characters left out)");
    }

    @Test
    void aFailedProcessWithAHugeArgumentGivesABoundedMessage() throws Exception {
        String huge = "a".repeat(1_000_000);
        try (Engine engine = Engine.builder().nodes(List.of(NodeSpec.of("n1", 2, 4, 0, 0))).build().start()) {
            WorkflowSnapshot done = engine.submit(WorkflowBuilder.workflow("p").id("w")
                    .task("a", t -> t.kind("process").input("command", List.of("/no/such/program", huge))).build())
                    .result().get(30, TimeUnit.SECONDS);
            String error = done.task("a").error();
            assertThat(error).contains("cannot start").contains("more characters left out");
            assertThat(error.length()).isLessThan(3 * Excerpt.MAX_CHARS);
            assertThat(done.error().length()).isLessThan(3 * Excerpt.MAX_CHARS);
        }
    }
}
