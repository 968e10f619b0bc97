package dev.maze.core.engine;

import dev.maze.core.clock.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.engine.EngineListener.TaskEvent;
import dev.maze.core.exec.ExecutionContext;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskInvocation;
import dev.maze.core.exec.TaskResult;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.InputCheck;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * Failures on a virtual clock: retries with backoff, cascade cancel, cancel on request, and executors that misbehave.
 * None of these may drive a task through an illegal transition (the engine would throw from its loop).
 */
class EngineFailureTest {

    private static final NodeSpec NODE = NodeSpec.of("n1", 8, 32, 1, 80);

    private static Engine engine(EventLog log) {
        return Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).listener(log).build();
    }

    @Test
    void aFailingTaskIsRetriedWithExponentialBackoffUntilItSucceeds() throws Exception {
        // 1 s per attempt; backoff 1 s doubling: attempt 1 [0,1] fails, wait 1, attempt 2 [2,3] fails, wait 2,
        // attempt 3 [5,6] succeeds.
        WorkflowSpec spec = WorkflowBuilder.workflow("flaky").id("w")
                .task("a", t -> t.input("seconds", 1).input("failAttempts", 2).retries(new RetryPolicy(2, 1, 2, 60)))
                .task("b", t -> t.dependsOn("a").input("seconds", 1))
                .build();
        EventLog log = new EventLog();
        Engine engine = engine(log);
        WorkflowHandle handle = engine.submit(spec);
        engine.runUntilIdle();

        assertThat(log.of("w", "a", TaskState.RUNNING))
                .extracting(TaskEvent::attempt, TaskEvent::timeSeconds)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 0.0),
                        org.assertj.core.groups.Tuple.tuple(2, 2.0),
                        org.assertj.core.groups.Tuple.tuple(3, 5.0));
        assertThat(log.of("w", "a", TaskState.PENDING)).extracting(TaskEvent::message).containsExactly(
                null,
                "attempt 1 failed: simulated failure on attempt 1; retrying in 1 s",
                "attempt 2 failed: simulated failure on attempt 2; retrying in 2 s");
        assertThat(log.of("w", "a", TaskState.READY)).extracting(TaskEvent::timeSeconds).containsExactly(0.0, 2.0, 5.0);
        assertThat(log.startOf("w", "b")).isEqualTo(6.0);
        WorkflowSnapshot result = handle.result().getNow(null);
        assertThat(result.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(result.task("a").attempts()).isEqualTo(3);
        assertThat(result.task("a").state()).isEqualTo(TaskState.FINISHED);
        assertThat(result.latencySeconds()).isEqualTo(7.0);
    }

    @Test
    void backoffIsCappedAtItsMaximum() throws Exception {
        // backoff 4 s x10 per retry, capped at 5 s: waits 4 s then 5 s (not 40 s).
        WorkflowSpec spec = WorkflowBuilder.workflow("capped").id("w")
                .task("a", t -> t.input("seconds", 1).input("failAttempts", 2).retries(new RetryPolicy(2, 4, 10, 5)))
                .build();
        EventLog log = new EventLog();
        Engine engine = engine(log);
        engine.submit(spec);
        engine.runUntilIdle();
        assertThat(log.of("w", "a", TaskState.RUNNING)).extracting(TaskEvent::timeSeconds).containsExactly(0.0, 5.0, 11.0);
    }

    @Test
    void whenRetriesRunOutTheFailureCascadesAndTheWorkflowFailsWithTheRootCause() throws Exception {
        // a fails on both attempts; b and c descend from it; "side" is an unrelated branch still running.
        WorkflowSpec spec = WorkflowBuilder.workflow("doomed").id("w")
                .task("a", t -> t.input("seconds", 1).input("failAttempts", 5).retries(new RetryPolicy(1, 1, 2, 60)))
                .task("b", t -> t.dependsOn("a").input("seconds", 1))
                .task("c", t -> t.dependsOn("b").input("seconds", 1))
                .task("side", t -> t.input("seconds", 100))
                .build();
        EventLog log = new EventLog();
        Engine engine = engine(log);
        WorkflowHandle handle = engine.submit(spec);
        engine.runUntilIdle();

        WorkflowSnapshot result = handle.result().getNow(null);
        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(result.error()).isEqualTo("task 'a' failed after 2 attempts: simulated failure on attempt 2");
        assertThat(result.finishedAt()).isEqualTo(3.0);
        assertThat(result.task("a").state()).isEqualTo(TaskState.FAILED);
        assertThat(result.task("a").error()).isEqualTo("simulated failure on attempt 2");
        assertThat(result.task("a").attempts()).isEqualTo(2);
        for (String descendant : List.of("b", "c")) {
            assertThat(result.task(descendant).state()).isEqualTo(TaskState.CANCELLED);
            assertThat(result.task(descendant).error()).isEqualTo("cancelled: upstream task 'a' failed");
            assertThat(log.of("w", descendant, TaskState.RUNNING)).isEmpty();
        }
        assertThat(result.task("side").state()).as("the workflow cannot succeed any more: stop the rest too")
                .isEqualTo(TaskState.CANCELLED);
        assertThat(result.task("side").error()).contains("task 'a' failed");
        assertThat(log.timeOf("w", "side", TaskState.CANCELLED)).isEqualTo(3.0);
        assertThat(engine.stats().getNow(null).nowSeconds()).as("the killed 100 s task no longer holds the clock")
                .isEqualTo(3.0);
    }

    @Test
    void cancellingAWorkflowStopsRunningAndWaitingTasksAndLeavesOthersAlone() throws Exception {
        AtomicReference<Engine> engineRef = new AtomicReference<>();
        AtomicReference<java.util.concurrent.CompletableFuture<Boolean>> cancelled = new AtomicReference<>();
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 2, 8, 0, 0)))
                .listener(log)
                .listener(new EngineListener() {
                    @Override
                    public void onTaskEvent(TaskEvent event) {
                        if (event.taskId().equals("tick") && event.state() == TaskState.FINISHED) {
                            cancelled.set(engineRef.get().cancel("victim"));
                        }
                    }
                })
                .build();
        engineRef.set(engine);
        // Two cores: the bystander's tick (high priority) and the victim's "running" take them; "queued" waits.
        WorkflowHandle victim = engine.submit(WorkflowBuilder.workflow("v").id("victim")
                .task("running", t -> t.input("seconds", 10))
                .task("queued", t -> t.input("seconds", 1))
                .task("later", t -> t.dependsOn("running").input("seconds", 1))
                .build());
        WorkflowHandle bystander = engine.submit(WorkflowBuilder.workflow("b").id("bystander")
                .priorityClass(dev.maze.core.workflow.PriorityClass.HIGH)
                .task("tick", t -> t.input("seconds", 2))
                .task("after", t -> t.dependsOn("tick").input("seconds", 1))
                .task("after2", t -> t.dependsOn("tick").input("seconds", 1))
                .build());
        engine.runUntilIdle();

        assertThat(cancelled.get().getNow(null)).isTrue();
        WorkflowSnapshot result = victim.result().getNow(null);
        assertThat(result.state()).isEqualTo(WorkflowState.CANCELLED);
        assertThat(result.error()).isEqualTo("cancelled on request");
        assertThat(result.finishedAt()).isEqualTo(2.0);
        assertThat(result.tasks()).allSatisfy(task -> {
            assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(task.error()).isEqualTo("cancelled: cancelled on request");
        });
        assertThat(log.of("victim", "queued", TaskState.RUNNING)).as("it waited for the only core").isEmpty();
        WorkflowSnapshot other = bystander.result().getNow(null);
        assertThat(other.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(log.startOf("bystander", "after")).isEqualTo(2.0);
        assertThat(log.startOf("bystander", "after2")).as("the core freed by the cancel is used at once").isEqualTo(2.0);

        assertThat(engine.cancel("victim").getNow(null)).as("already ended").isFalse();
        assertThat(engine.cancel("bystander").getNow(null)).as("already ended").isFalse();
        assertThat(engine.cancel("unknown").getNow(null)).isFalse();
        assertThat(engine.snapshot("victim").getNow(null).state()).isEqualTo(WorkflowState.CANCELLED);
    }

    @Test
    void anUnresolvableTemplateFailsTheTaskOnceWithoutRetriesAndWithoutStoppingTheEngine() throws Exception {
        // "bad" and "good" become ready together; bad's template names a field root's output does not have.
        WorkflowSpec spec = WorkflowBuilder.workflow("tpl").id("w")
                .task("root", t -> t.input("seconds", 1).input("output", java.util.Map.of("text", "hi")))
                .task("bad", t -> t.dependsOn("root").input("seconds", 1).input("prompt", "{{tasks.root.output.missing}}")
                        .retries(RetryPolicy.of(3)))
                .task("good", t -> t.dependsOn("root").input("seconds", 1))
                .task("good2", t -> t.dependsOn("root").input("seconds", 1))
                .build();
        WorkflowSpec unrelated = WorkflowBuilder.workflow("other").id("other").task("x", t -> t.input("seconds", 5)).build();
        EventLog log = new EventLog();
        Engine engine = engine(log);
        WorkflowHandle handle = engine.submit(spec);
        WorkflowHandle other = engine.submit(unrelated);
        engine.runUntilIdle();

        WorkflowSnapshot result = handle.result().getNow(null);
        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(result.task("bad").state()).isEqualTo(TaskState.FAILED);
        assertThat(result.task("bad").attempts()).as("the same template fails on every retry: no retry").isEqualTo(1);
        assertThat(result.task("bad").error()).startsWith("cannot resolve inputs: inputs.prompt");
        assertThat(result.error()).contains("task 'bad' failed").contains("cannot resolve inputs");
        assertThat(result.task("good").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(result.task("good2").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(other.result().getNow(null).state()).isEqualTo(WorkflowState.FINISHED);
    }

    @Test
    void anExecutorThatThrowsOnStartFailsItsAttemptAndTheEngineGoesOn() throws Exception {
        TaskExecutor broken = new TestExecutor("broken") {
            @Override
            public Execution start(TaskInvocation invocation, ExecutionContext context) {
                throw new IllegalStateException("no connection");
            }
        };
        WorkflowSpec spec = WorkflowBuilder.workflow("b").id("w")
                .task("root", t -> t.input("seconds", 1))
                .task("x", t -> t.dependsOn("root").kind("broken"))
                .task("y", t -> t.dependsOn("root").input("seconds", 3))
                .task("z", t -> t.dependsOn("root").input("seconds", 3))
                .build();
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).listener(log).executor(broken).build();
        WorkflowHandle handle = engine.submit(spec);
        WorkflowHandle retried = engine.submit(WorkflowBuilder.workflow("r").id("retried")
                .task("x", t -> t.kind("broken").retries(new RetryPolicy(1, 1, 2, 60))).build());
        engine.runUntilIdle();

        assertThat(retried.result().getNow(null).task("x").attempts()).isEqualTo(2);
        assertThat(log.of("retried", "x", TaskState.RUNNING)).extracting(TaskEvent::timeSeconds).containsExactly(0.0, 1.0);
        WorkflowSnapshot result = handle.result().getNow(null);
        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(result.task("x").state()).isEqualTo(TaskState.FAILED);
        assertThat(result.task("x").attempts()).isEqualTo(1);
        assertThat(result.task("x").error()).contains("executor failed to start").contains("no connection");
        assertThat(result.task("y").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(result.task("z").state()).isEqualTo(TaskState.CANCELLED);
    }

    /** Fails its first attempts asking for a wait (a server's 429 with Retry-After), then succeeds. */
    private static TaskExecutor busyServer(double retryAfterSeconds) {
        return new TestExecutor("busy") {
            @Override
            public boolean clockDriven() {
                return true;
            }

            @Override
            public Execution start(TaskInvocation invocation, ExecutionContext context) {
                context.complete(invocation.attempt() < 3
                        ? new TaskResult.Failure("HTTP 429", true, retryAfterSeconds)
                        : new TaskResult.Success(JsonNodeFactory.instance.objectNode()));
                return () -> {};
            }
        };
    }

    @Test
    void aRetryWaitsTheLongerOfTheBackoffAndTheWaitTheFailureAskedFor() throws Exception {
        for (double asked : new double[] {7, 0.5, 1e300, Double.NaN}) {
            EventLog log = new EventLog();
            Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).listener(log)
                    .executor(busyServer(asked)).build();
            engine.submit(WorkflowBuilder.workflow("r").id("w").task("x", t -> t.kind("busy")
                    .retries(new RetryPolicy(2, 1, 2, 60))).build());
            engine.runUntilIdle();
            // Backoffs 1 s then 2 s; a wait asked for above them wins; an absurd one is held to the longest duration.
            List<Double> expected = asked == 7 ? List.of(0.0, 7.0, 14.0) : asked > 1e9 ? List.of(0.0, 1e8, 2e8)
                    : List.of(0.0, 1.0, 3.0);
            assertThat(log.of("w", "x", TaskState.RUNNING)).as("asked " + asked).extracting(TaskEvent::timeSeconds)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void jitterShortensEachWaitByASeededShareThatDiffersBetweenTasks() throws Exception {
        List<List<Double>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            EventLog log = new EventLog();
            Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 64, 64, 0, 0)))
                    .listener(log).seed(42).build();
            WorkflowBuilder builder = WorkflowBuilder.workflow("j").id("w");
            for (int i = 0; i < 20; i++) {
                builder.task("t" + i, t -> t.input("seconds", 1).input("failAttempts", 1)
                        .retries(new RetryPolicy(1, 10, 2, 60, 0.5)));
            }
            engine.submit(builder.build());
            engine.runUntilIdle();
            List<Double> retriedAt = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                retriedAt.add(log.of("w", "t" + i, TaskState.RUNNING).get(1).timeSeconds());
            }
            runs.add(retriedAt);
        }
        // Each attempt fails after 1 s; the 10 s backoff loses up to half of itself to jitter.
        assertThat(runs.get(0)).allSatisfy(at -> assertThat(at).isBetween(6.0, 11.0));
        assertThat(new java.util.HashSet<>(runs.get(0))).as("not all at once").hasSizeGreaterThan(10);
        assertThat(runs.get(1)).as("the same seed, the same waits").isEqualTo(runs.get(0));
    }

    @Test
    void reportsAfterTheFirstOneAndAfterACancelAreIgnored() throws Exception {
        // Completes twice at once (only the first counts), and its abandoned attempts report after being cancelled.
        AtomicInteger starts = new AtomicInteger();
        AtomicReference<ExecutionContext> stale = new AtomicReference<>();
        TaskExecutor sloppy = new TestExecutor("sloppy") {
            @Override
            public boolean clockDriven() {
                return true;
            }

            @Override
            public Execution start(TaskInvocation invocation, ExecutionContext context) {
                starts.incrementAndGet();
                if (invocation.inputs().path("hang").asBoolean()) {
                    stale.set(context);
                    return () -> context.complete(new TaskResult.Success(invocation.inputs())); // reports on cancel
                }
                context.complete(new TaskResult.Failure("first report"));
                context.complete(new TaskResult.Success(invocation.inputs()));
                return () -> {};
            }
        };
        WorkflowSpec doubleReport = WorkflowBuilder.workflow("d").id("double")
                .task("x", t -> t.kind("sloppy")).build();
        WorkflowSpec hanging = WorkflowBuilder.workflow("h").id("hang").deadlineSeconds(4)
                .task("x", t -> t.kind("sloppy").input("hang", true).timeoutSeconds(1).retries(new RetryPolicy(1, 0, 1, 0)))
                .build();
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).listener(log).executor(sloppy).build();
        WorkflowHandle first = engine.submit(doubleReport);
        WorkflowHandle second = engine.submit(hanging);
        engine.runUntilIdle();

        assertThat(first.result().getNow(null).state()).isEqualTo(WorkflowState.FAILED);
        assertThat(first.result().getNow(null).error()).contains("first report");
        WorkflowSnapshot timedOut = second.result().getNow(null);
        assertThat(timedOut.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(timedOut.task("x").attempts()).isEqualTo(2);
        assertThat(timedOut.task("x").error()).isEqualTo("timed out after 1 s; killed");
        assertThat(timedOut.finishedAt()).as("second attempt [1, 2] timed out at 2").isEqualTo(2.0);
        assertThat(log.of("hang", "x", TaskState.FINISHED)).isEmpty();
        assertThat(starts.get()).isEqualTo(3);

        // A very late report of an abandoned attempt changes nothing either.
        stale.get().complete(new TaskResult.Success(null));
        engine.runUntilIdle();
        assertThat(engine.snapshot("hang").getNow(null).task("x").state()).isEqualTo(TaskState.FAILED);
    }

    /** An executor kind for tests that accepts any inputs. */
    private abstract static class TestExecutor implements TaskExecutor {
        private final String kind;

        TestExecutor(String kind) {
            this.kind = kind;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public List<InputCheck.Problem> check(JsonNode inputs) {
            return List.of();
        }
    }
}
