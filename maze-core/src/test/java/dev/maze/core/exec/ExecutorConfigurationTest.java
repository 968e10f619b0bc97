package dev.maze.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.engine.Engine;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.WorkflowBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Executors built by name from configuration, closed with the engine, run by each node's worker. */
class ExecutorConfigurationTest {

    private static final JsonMapper YAML_LIKE = JsonMapper.builder().build();
    private static final List<NodeSpec> NODES = List.of(NodeSpec.of("n1", 4, 8, 0, 0));

    @TempDir
    Path temp;

    private static JsonNode json(String text) throws Exception {
        return YAML_LIKE.readTree(text);
    }

    @Test
    void withoutConfigurationEveryBuiltInKindIsThere() {
        assertThat(TaskExecutors.fromConfig(null)).containsKeys("sim", "process", "java");
        assertThat(TaskExecutors.defaults().keySet()).isEqualTo(TaskExecutors.fromConfig(null).keySet());
    }

    @Test
    void processSettingsReachEveryProcess() throws Exception {
        Map<String, TaskExecutor> executors = TaskExecutors.fromConfig(json(
                "{\"process\": {\"environment\": {\"GREETING\": \"hello\"}, \"workingDir\": \"" + temp + "\"}}"));
        try (Engine engine = Engine.builder().nodes(NODES).executors(executors).build().start()) {
            WorkflowSnapshot done = engine.submit(WorkflowBuilder.workflow("p").id("w")
                    .task("a", t -> t.kind("process").input("command", List.of("sh", "-c", "echo $GREETING; pwd")))
                    .build()).result().get(30, TimeUnit.SECONDS);
            assertThat(done.state()).isEqualTo(WorkflowState.FINISHED);
            assertThat(done.task("a").output().path("text").asText())
                    .isEqualTo("hello\n" + temp.toRealPath() + "\n");
        }
    }

    @Test
    void simTimeScaleShortensEveryDuration() throws Exception {
        Map<String, TaskExecutor> executors = TaskExecutors.fromConfig(json("{\"sim\": {\"timeScale\": 0.1}}"));
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(NODES).executors(executors).build();
        var handle = engine.submit(WorkflowBuilder.workflow("s").id("w").task("a", t -> t.input("seconds", 10)).build());
        engine.runUntilIdle();
        assertThat(handle.result().join().latencySeconds()).isEqualTo(1.0);
    }

    @Test
    void badConfigurationNamesThePathAndWhatIsKnown() {
        assertThatThrownBy(() -> TaskExecutors.fromConfig(json("{\"proces\": {}}")))
                .hasMessage("executors.proces: unknown task kind; known kinds: sim, process, java, http, llm, vlm, speech");
        assertThatThrownBy(() -> TaskExecutors.fromConfig(json("{\"process\": {\"workdir\": \"/tmp\"}}")))
                .hasMessage("executors.process: unknown setting(s) [workdir]; known: environment, workingDir, maxOutputMb, killGraceSeconds");
        assertThatThrownBy(() -> TaskExecutors.fromConfig(json("{\"process\": {\"workingDir\": \"/no/such/dir\"}}")))
                .hasMessage("executors.process.workingDir: '/no/such/dir' is not a directory");
        assertThatThrownBy(() -> TaskExecutors.fromConfig(json("{\"sim\": {\"timeScale\": -1}}")))
                .hasMessageContaining("executors.sim.timeScale: expected a number >=");
        assertThatThrownBy(() -> TaskExecutors.fromConfig(json("{\"java\": {\"x\": 1}}")))
                .hasMessage("executors.java: unknown setting(s) [x]; this kind takes none");
        assertThatThrownBy(() -> TaskExecutors.fromConfig(json("{\"process\": {\"environment\": [1]}}")))
                .hasMessageContaining("executors.process.environment: expected a map");
        assertThatThrownBy(() -> TaskExecutors.fromConfig(json("[1]")))
                .hasMessageContaining("executors: expected a map of kind: settings");
    }

    @Test
    void aFailureThatWouldRepeatIsNotRetried() throws Exception {
        try (Engine engine = Engine.builder().nodes(NODES).build().start()) {
            WorkflowSnapshot done = engine.submit(WorkflowBuilder.workflow("p").id("w")
                    .task("a", t -> t.kind("process").input("command", List.of(temp.resolve("missing").toString()))
                            .retries(new RetryPolicy(3, 0, 1, 0)))
                    .build()).result().get(30, TimeUnit.SECONDS);
            assertThat(done.state()).isEqualTo(WorkflowState.FAILED);
            assertThat(done.task("a").attempts()).isEqualTo(1);
            assertThat(done.task("a").error()).contains("cannot start").contains("not retried");
        }
    }

    @Test
    void theEngineClosesItsExecutorsOnceAndRunsAttemptsThroughEachNodesWorker() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        TaskExecutor sim = new SimExecutor();
        TaskExecutor closing = new TaskExecutor() {
            @Override
            public String kind() {
                return "closing";
            }

            @Override
            public List<dev.maze.core.workflow.InputCheck.Problem> check(JsonNode inputs) {
                return List.of();
            }

            @Override
            public Execution start(TaskInvocation invocation, ExecutionContext context) {
                return sim.start(invocation, context);
            }

            @Override
            public boolean clockDriven() {
                return true;
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        Map<String, TaskExecutor> executors = new HashMap<>(Map.of("closing", closing, "alias", closing));
        List<String> workerLog = new ArrayList<>();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(NODES).executors(executors)
                .workers(node -> (invocation, context) -> {
                    workerLog.add(node.id() + ":" + invocation.spec().id());
                    return Worker.inProcess(executors).start(invocation, context);
                }).build();
        engine.submit(WorkflowBuilder.workflow("c").id("w").task("a", t -> t.kind("closing").input("seconds", 1)).build());
        engine.runUntilIdle();
        engine.close();

        assertThat(workerLog).containsExactly("n1:a");
        assertThat(closed).hasValue(1);
    }
}
