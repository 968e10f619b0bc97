package dev.maze.core.engine;

import dev.maze.core.clock.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.engine.EngineListener.TaskEvent;
import dev.maze.core.exec.ExecutionContext;
import dev.maze.core.exec.SimExecutor;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskInvocation;
import dev.maze.core.node.GpuSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.testing.Choices;
import dev.maze.core.testing.SeededProperty;
import dev.maze.core.workflow.InputCheck;
import dev.maze.core.workflow.PriorityClass;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Invariants of the engine over random workflows (random DAGs, sizes, durations including 0, retries and failing
 * attempts, timeouts, deadlines, priority classes, resources including GPU slices and models) on random clusters,
 * under every ordering policy, simulated on a virtual clock. Every task event is recorded and replayed.
 */
class EngineProperties {

    private static final double EPS = 1e-9;

    // ------------------------------------------------------------------ properties

    @SeededProperty(tries = 200, seed = 4242)
    void noTaskStartsBeforeAllItsPredecessorsFinished(long seed) throws Exception {
        Scenario scenario = scenarios(seed);
        Run run = run(scenario);
        for (Map.Entry<String, WorkflowSpec> workflow : run.accepted().entrySet()) {
            for (TaskSpec task : workflow.getValue().tasks()) {
                for (TaskEvent start : run.log.of(workflow.getKey(), task.id(), TaskState.RUNNING)) {
                    int startIndex = run.indexOf(start);
                    for (String dependency : task.dependsOn()) {
                        List<TaskEvent> finished = run.log.of(workflow.getKey(), dependency, TaskState.FINISHED);
                        assertThat(finished).as("%s/%s started at %s before %s finished", workflow.getKey(), task.id(),
                                start.timeSeconds(), dependency).hasSize(1);
                        assertThat(run.indexOf(finished.get(0))).isLessThan(startIndex);
                        assertThat(finished.get(0).timeSeconds()).isLessThanOrEqualTo(start.timeSeconds());
                    }
                }
            }
        }
    }

    @SeededProperty(tries = 200, seed = 4243)
    void aTaskRunsAgainOnlyAsARetryOfAFailedAttempt(long seed) throws Exception {
        Scenario scenario = scenarios(seed);
        Run run = run(scenario);
        for (Map.Entry<String, WorkflowSpec> workflow : run.accepted().entrySet()) {
            for (TaskSpec task : workflow.getValue().tasks()) {
                List<TaskEvent> events = run.log.of(workflow.getKey(), task.id());
                String label = workflow.getKey() + "/" + task.id() + " " + events;
                int attempt = 0;
                TaskState previous = null;
                for (TaskEvent event : events) {
                    if (event.state() == TaskState.RUNNING) {
                        assertThat(event.attempt()).as(label).isEqualTo(attempt + 1);
                        assertThat(previous).as("a start comes from READY: " + label).isEqualTo(TaskState.READY);
                        attempt = event.attempt();
                    } else if (event.state() == TaskState.PENDING && previous == TaskState.RUNNING) {
                        assertThat(event.message()).as(label).startsWith("attempt " + attempt + " failed");
                    }
                    if (previous != null) {
                        assertThat(previous.canMoveTo(event.state())).as(label).isTrue();
                    }
                    previous = event.state();
                }
                assertThat(attempt).as(label).isLessThanOrEqualTo(task.retries().count() + 1);
                assertThat(previous).as("the last event is terminal: " + label).matches(TaskState::isTerminal);
                if (previous == TaskState.FINISHED) {
                    assertThat(attempt).as("attempts up to failAttempts fail: " + label)
                            .isGreaterThan(task.inputs().path("failAttempts").asInt(0));
                }
            }
        }
    }

    @SeededProperty(tries = 200, seed = 4244)
    void resourcesInUseNeverExceedANodesCapacity(long seed) throws Exception {
        Scenario scenario = scenarios(seed);
        Run run = run(scenario);
        Map<String, NodeSpec> nodes = new HashMap<>();
        scenario.nodes().forEach(node -> nodes.put(node.id(), node));
        Map<String, double[]> hostUse = new HashMap<>(); // node -> {cpu, memory}
        Map<String, double[]> gpuMemoryUse = new HashMap<>(); // node -> per GPU
        Map<String, int[]> gpuUsers = new HashMap<>();
        Map<String, int[]> wholeGpuUsers = new HashMap<>();
        Map<String, TaskEvent> running = new HashMap<>(); // workflow/task -> its RUNNING event
        for (NodeSpec node : scenario.nodes()) {
            hostUse.put(node.id(), new double[2]);
            gpuMemoryUse.put(node.id(), new double[node.gpus().size()]);
            gpuUsers.put(node.id(), new int[node.gpus().size()]);
            wholeGpuUsers.put(node.id(), new int[node.gpus().size()]);
        }
        for (TaskEvent event : run.log.taskEvents()) {
            String key = event.workflowId() + "/" + event.taskId();
            TaskSpec spec = scenario.task(event.workflowId(), event.taskId());
            Resources need = spec.resources();
            if (event.state() == TaskState.RUNNING) {
                NodeSpec node = nodes.get(event.node());
                int[] gpus = run.gpus.get(key + "#" + event.attempt());
                assertThat(node).as(key).isNotNull();
                assertThat(gpus).as("GPUs given to %s", key).hasSize(need.gpus()).doesNotHaveDuplicates();
                assertThat(need.model() == null || node.allowedModels().isEmpty()
                        || node.allowedModels().contains(need.model())).as("model of %s allowed on %s", key, node.id()).isTrue();
                apply(node, need, gpus, +1, hostUse, gpuMemoryUse, gpuUsers, wholeGpuUsers);
                double[] use = hostUse.get(node.id());
                assertThat(use[0]).as("cores on %s at %s", node.id(), event.timeSeconds()).isLessThanOrEqualTo(node.cpu() + EPS);
                assertThat(use[1]).as("memory on %s at %s", node.id(), event.timeSeconds())
                        .isLessThanOrEqualTo(node.memoryGb() + EPS);
                for (int gpu : gpus) {
                    assertThat(gpuMemoryUse.get(node.id())[gpu]).as("memory of GPU %s on %s at %s", gpu, node.id(),
                            event.timeSeconds()).isLessThanOrEqualTo(node.gpus().get(gpu).memoryGb() + EPS);
                    if (wholeGpuUsers.get(node.id())[gpu] > 0) {
                        assertThat(gpuUsers.get(node.id())[gpu]).as("a whole GPU is not shared: GPU %s on %s at %s", gpu,
                                node.id(), event.timeSeconds()).isEqualTo(1);
                    }
                }
                running.put(key, event);
            } else if (running.containsKey(key)) { // the attempt ended: FINISHED, FAILED, CANCELLED or PENDING (retry)
                TaskEvent start = running.remove(key);
                apply(nodes.get(start.node()), need, run.gpus.get(key + "#" + start.attempt()), -1, hostUse, gpuMemoryUse,
                        gpuUsers, wholeGpuUsers);
            }
        }
        assertThat(running).as("attempts still running at the end").isEmpty();
    }

    @SeededProperty(tries = 200, seed = 4245)
    void everyAcceptedWorkflowReachesATerminalState(long seed) throws Exception {
        Scenario scenario = scenarios(seed);
        Run run = run(scenario);
        assertThat(run.results).hasSize(run.accepted().size());
        for (WorkflowHandle handle : run.results) {
            assertThat(handle.result()).as(handle.id()).isDone();
            WorkflowSnapshot result = handle.result().getNow(null);
            assertThat(result.state().isTerminal()).as(handle.id()).isTrue();
            assertThat(result.tasks()).as(handle.id()).allSatisfy(task -> assertThat(task.state().isTerminal()).isTrue());
            switch (result.state()) {
                case FINISHED -> assertThat(result.tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.FINISHED));
                case FAILED -> assertThat(result.error()).as(handle.id()).isNotBlank();
                default -> throw new AssertionError("nothing cancels in these runs: " + result);
            }
            assertThat(run.log.workflowEvents()).filteredOn(e -> e.workflowId().equals(handle.id()))
                    .extracting(EngineListener.WorkflowEvent::state)
                    .containsExactly(WorkflowState.RUNNING, result.state());
        }
        EngineStats stats = run.stats;
        assertThat(stats.activeWorkflows()).isZero();
        assertThat(stats.readyTasks()).isZero();
        assertThat(stats.tasksStarted()).isEqualTo(run.log.startOrder().size());
    }

    @SeededProperty(tries = 100, seed = 4246)
    void theSameSeedAndInputsGiveTheSameEvents(long seed) throws Exception {
        Scenario scenario = scenarios(seed);
        Run first = run(scenario);
        Run second = run(scenario);
        assertThat(second.log.all()).isEqualTo(first.log.all());
        assertThat(second.gpus.keySet()).isEqualTo(first.gpus.keySet());
        first.gpus.forEach((attempt, gpus) -> assertThat(second.gpus.get(attempt)).as(attempt).containsExactly(gpus));
        assertThat(second.stats).isEqualTo(first.stats);
    }

    @SeededProperty(tries = 100, seed = 4247)
    void underTheAgentPolicyAWorkflowRunsOneTaskAtATimeOnOneNode(long seed) throws Exception {
        Scenario scenario = scenarios(seed);
        Scenario agent = scenario.withPolicy("agent");
        Run run = run(agent);
        Map<String, String> nodeOf = new HashMap<>();
        Map<String, String> runningTask = new HashMap<>();
        for (TaskEvent event : run.log.taskEvents()) {
            String workflow = event.workflowId();
            if (event.state() == TaskState.RUNNING) {
                assertThat(runningTask.get(workflow)).as("%s starts %s while another task runs", workflow, event.taskId())
                        .isNull();
                runningTask.put(workflow, event.taskId());
                assertThat(nodeOf.computeIfAbsent(workflow, w -> event.node())).as(workflow).isEqualTo(event.node());
            } else if (event.taskId().equals(runningTask.get(workflow))) {
                runningTask.remove(workflow);
            }
        }
    }

    @SeededProperty(tries = 50, seed = 4248)
    void aTaskThatFitsNoNodeIsRejectedWithNothingRun(long seed) {
        Scenario scenario = scenarios(seed);
        double mostCores = scenario.nodes().stream().mapToDouble(NodeSpec::cpu).max().orElseThrow();
        WorkflowSpec huge = WorkflowBuilder.workflow("huge").id("huge")
                .task("ok", t -> t.input("seconds", 1))
                .task("too-big", t -> t.input("seconds", 1).resources(new Resources(mostCores + 1, 0, 0, 0, null)))
                .build();
        List<WorkflowSpec> batch = new ArrayList<>(scenario.workflows());
        batch.add(huge);
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(scenario.nodes()).policy(scenario.policy())
                .listener(log).build();
        assertThatThrownBy(() -> engine.submitAll(batch)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("task 'too-big'");
        engine.runUntilIdle();
        assertThat(log.all()).isEmpty();
    }

    // ------------------------------------------------------------------ running a scenario

    /** What one simulated run produced. */
    record Run(EventLog log, Map<String, int[]> gpus, Map<String, WorkflowSpec> accepted, List<WorkflowHandle> results,
            EngineStats stats, Map<TaskEvent, Integer> positions) {

        int indexOf(TaskEvent event) {
            return positions.get(event);
        }
    }

    private static Run run(Scenario scenario) throws Exception {
        EventLog log = new EventLog();
        Map<String, int[]> gpus = new LinkedHashMap<>();
        Engine engine = Engine.builder()
                .clock(new VirtualClock())
                .nodes(scenario.nodes())
                .policy(scenario.policy())
                .seed(scenario.seed())
                .executor(new GpuRecordingSim(gpus))
                .listener(log)
                .build();
        List<WorkflowHandle> results = new ArrayList<>();
        Map<String, WorkflowSpec> accepted = new LinkedHashMap<>();
        List<WorkflowSpec> first = scenario.workflows().subList(0, scenario.firstBatch());
        List<WorkflowSpec> second = scenario.workflows().subList(scenario.firstBatch(), scenario.workflows().size());
        for (List<WorkflowSpec> batch : List.of(first, second)) {
            List<WorkflowSpec> acceptable = new ArrayList<>();
            for (WorkflowSpec workflow : batch) {
                if (scenario.policy().equals("agent") && !scenario.fitsOneNode(workflow)) {
                    // Pinned workflows need one node for all their tasks; the engine must refuse, not hang.
                    assertThatThrownBy(() -> engine.submit(workflow)).isInstanceOf(ValidationException.class)
                            .hasMessageContaining("one node");
                } else {
                    acceptable.add(workflow);
                    accepted.put(workflow.id(), workflow);
                }
            }
            results.addAll(engine.submitAll(acceptable));
            engine.runUntilIdle();
        }
        Map<TaskEvent, Integer> positions = new java.util.IdentityHashMap<>();
        List<TaskEvent> events = log.taskEvents();
        for (int i = 0; i < events.size(); i++) {
            positions.put(events.get(i), i);
        }
        return new Run(log, gpus, accepted, results, engine.stats().getNow(null), positions);
    }

    private static void apply(NodeSpec node, Resources need, int[] gpus, int sign, Map<String, double[]> hostUse,
            Map<String, double[]> gpuMemoryUse, Map<String, int[]> gpuUsers, Map<String, int[]> wholeGpuUsers) {
        double[] use = hostUse.get(node.id());
        use[0] += sign * need.cpu();
        use[1] += sign * need.memoryGb();
        for (int gpu : gpus) {
            gpuMemoryUse.get(node.id())[gpu] += sign * (need.wholeGpus() ? node.gpus().get(gpu).memoryGb() : need.gpuMemoryGb());
            gpuUsers.get(node.id())[gpu] += sign;
            if (need.wholeGpus()) {
                wholeGpuUsers.get(node.id())[gpu] += sign;
            }
        }
    }

    /** The real sim executor, recording which GPUs each attempt was given (task events do not say). */
    private static final class GpuRecordingSim implements TaskExecutor {
        private final SimExecutor sim = new SimExecutor();
        private final Map<String, int[]> gpus;

        GpuRecordingSim(Map<String, int[]> gpus) {
            this.gpus = gpus;
        }

        @Override
        public String kind() {
            return sim.kind();
        }

        @Override
        public boolean clockDriven() {
            return sim.clockDriven();
        }

        @Override
        public List<InputCheck.Problem> check(JsonNode inputs) {
            return sim.check(inputs);
        }

        @Override
        public Execution start(TaskInvocation invocation, ExecutionContext context) {
            gpus.put(invocation.workflowId() + "/" + invocation.spec().id() + "#" + invocation.attempt(), invocation.gpus().clone());
            return sim.start(invocation, context);
        }
    }

    // ------------------------------------------------------------------ generating scenarios

    /**
     * A cluster, workflows for it, a policy and an engine seed. Workflows in {@code [0, firstBatch)} are submitted at
     * time 0, the rest when the first batch is done (so DAPS has learned from finished workflows).
     */
    record Scenario(List<NodeSpec> nodes, List<WorkflowSpec> workflows, String policy, long seed, int firstBatch) {

        Map<String, WorkflowSpec> byId() {
            Map<String, WorkflowSpec> map = new LinkedHashMap<>();
            workflows.forEach(w -> map.put(w.id(), w));
            return map;
        }

        TaskSpec task(String workflowId, String taskId) {
            return byId().get(workflowId).tasks().stream().filter(t -> t.id().equals(taskId)).findFirst().orElseThrow();
        }

        Scenario withPolicy(String other) {
            return new Scenario(nodes, workflows, other, seed, firstBatch);
        }

        boolean fitsOneNode(WorkflowSpec workflow) {
            return nodes.stream().anyMatch(node -> workflow.tasks().stream().allMatch(t -> fitsIdle(node, t.resources())));
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("policy " + policy + ", seed " + seed + ", first batch " + firstBatch);
            nodes.forEach(n -> text.append("\n  node ").append(n));
            for (WorkflowSpec w : workflows) {
                text.append("\n  workflow ").append(w.id()).append(" ").append(w.priorityClass())
                        .append(w.deadlineSeconds() == null ? "" : " deadline " + w.deadlineSeconds());
                for (TaskSpec t : w.tasks()) {
                    text.append("\n    ").append(t.id()).append(" deps ").append(t.dependsOn()).append(" ")
                            .append(t.resources()).append(" ").append(t.inputs()).append(" retries ")
                            .append(t.retries().count()).append(t.timeoutSeconds() == null ? "" : " timeout " + t.timeoutSeconds());
                }
            }
            return text.toString();
        }
    }

    /** Whether an idle node could run the request (written independently of NodeSpec.whyNeverFits). */
    static boolean fitsIdle(NodeSpec node, Resources need) {
        long bigEnough = node.gpus().stream().filter(g -> g.memoryGb() >= need.gpuMemoryGb()).count();
        return need.cpu() <= node.cpu() && need.memoryGb() <= node.memoryGb() && bigEnough >= need.gpus()
                && (need.model() == null || node.allowedModels().isEmpty() || node.allowedModels().contains(need.model()));
    }

    private static final double[] CORES = {0, 0.5, 1, 2, 4, 8};
    private static final double[] MEMORY_GB = {0, 1, 2, 4, 8, 16, 32};
    private static final double[] SLICES_GB = {4, 8, 16, 24, 40};
    private static final double[] SECONDS = {0, 0.5, 1, 2, 3.5, 7, 12};
    private static final double[] BACKOFF_SECONDS = {0, 0.5, 1};
    private static final String[] MODELS = {"m1", "m2", "m3"};

    /** Raw random choices for one task, interpreted against the cluster so the task fits its host node when idle. */
    record TaskGenes(int host, int cores, int memory, int gpus, int slice, int model, int duration, int shape,
            int failAttempts, int retries, int backoff, int timeout, int dependencyMask) {}

    /** Raw random choices for one workflow. */
    record WorkflowGenes(List<TaskGenes> tasks, int priority, int deadline, int name, int oneHost) {}

    /** The scenario of one case. */
    static Scenario scenarios(long seed) {
        Choices choices = Choices.of(seed);
        List<NodeSpec> nodes = named(choices.listOf(1, 4, () -> node(choices)));
        List<WorkflowGenes> workflows = choices.listOf(1, 6, () -> workflowGenes(choices));
        String policy = choices.oneOf("daps", "daps-aging", "fcfs", "agent");
        long engineSeed = choices.anyLong();
        int split = choices.between(0, 100);
        return scenario(nodes, workflows, policy, engineSeed, split);
    }

    private static NodeSpec node(Choices choices) {
        int cores = choices.oneOf(1, 2, 4, 8);
        int memory = choices.oneOf(4, 8, 16, 32);
        List<Double> gpuSizes = choices.listOf(0, 3, () -> choices.oneOf(16.0, 24.0, 40.0, 80.0));
        // Four in five nodes run any model; the rest only one or two of them.
        Set<String> allowed = choices.between(0, 4) < 4 ? Set.of() : choices.subsetOf(List.of(MODELS), 1, 2);
        List<GpuSpec> specs = new ArrayList<>();
        for (int i = 0; i < gpuSizes.size(); i++) {
            specs.add(new GpuSpec(i, "virtual", gpuSizes.get(i)));
        }
        return new NodeSpec("unnamed", cores, memory, specs, allowed);
    }

    private static List<NodeSpec> named(List<NodeSpec> nodes) {
        List<NodeSpec> named = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeSpec n = nodes.get(i);
            named.add(new NodeSpec("n" + i, n.cpu(), n.memoryGb(), n.gpus(), n.allowedModels()));
        }
        return named;
    }

    private static WorkflowGenes workflowGenes(Choices choices) {
        List<TaskGenes> tasks = choices.listOf(1, 8, () -> new TaskGenes(gene(choices), gene(choices), gene(choices),
                gene(choices), gene(choices), gene(choices), gene(choices), gene(choices), gene(choices), gene(choices),
                gene(choices), gene(choices), choices.between(0, 255)));
        return new WorkflowGenes(tasks, gene(choices), gene(choices), gene(choices), gene(choices));
    }

    private static int gene(Choices choices) {
        return choices.between(0, 1000);
    }

    private static Scenario scenario(List<NodeSpec> nodes, List<WorkflowGenes> genes, String policy, long seed, int split) {
        List<WorkflowSpec> workflows = new ArrayList<>();
        for (int w = 0; w < genes.size(); w++) {
            workflows.add(workflow("w" + w, genes.get(w), nodes));
        }
        int firstBatch = Math.max(1, split * workflows.size() / 100);
        return new Scenario(nodes, workflows, policy, seed, Math.min(firstBatch, workflows.size()));
    }

    private static WorkflowSpec workflow(String id, WorkflowGenes genes, List<NodeSpec> nodes) {
        WorkflowBuilder builder = WorkflowBuilder.workflow(List.of("rag", "agent", "tools").get(genes.name() % 3)).id(id)
                .priorityClass(PriorityClass.values()[genes.priority() % 3]);
        // Rare features are chosen by non-zero remainders, so genes at 0 (the lowest case) leave them out.
        if (genes.deadline() % 10 == 9) {
            builder.deadlineSeconds(genes.deadline() % 20 == 9 ? 5 : 30);
        }
        for (int i = 0; i < genes.tasks().size(); i++) {
            TaskGenes g = genes.tasks().get(i);
            int index = i;
            // Often all tasks are sized for one node, so the agent policy (one node per workflow) accepts most workflows.
            int hostGene = genes.oneHost() % 3 == 0 ? g.host() : genes.tasks().get(0).host();
            NodeSpec host = nodes.get(hostGene % nodes.size());
            Resources resources = resources(g, host);
            builder.task("t" + i, t -> {
                t.resources(resources);
                switch (g.shape() % 8) {
                    case 6 -> t.input("duration", Map.of("distribution", "exponential", "mean", 2));
                    case 7 -> t.input("duration", Map.of("distribution", "uniform", "min", 0.5, "max", 4));
                    default -> t.input("seconds", SECONDS[g.duration() % SECONDS.length]);
                }
                int failAttempts = g.failAttempts() % 4 == 3 ? 1 + g.failAttempts() % 3 : 0;
                if (failAttempts > 0) {
                    t.input("failAttempts", failAttempts);
                }
                t.retries(new RetryPolicy(g.retries() % 3, BACKOFF_SECONDS[g.backoff() % BACKOFF_SECONDS.length], 2, 60));
                if (g.timeout() % 10 == 9) {
                    t.timeoutSeconds(g.timeout() % 20 == 9 ? 1 : 4);
                }
                // Depend on earlier tasks whose bit is set (the 8 just before this one): a random DAG.
                for (int back = 1; back <= Math.min(8, index); back++) {
                    if ((g.dependencyMask() >> (back - 1) & 1) == 1 && (g.dependencyMask() + back) % 3 == 0) {
                        t.dependsOn("t" + (index - back));
                    }
                }
            });
        }
        return builder.build();
    }

    /** Resources within what {@code host} has, so the task fits it when idle. */
    private static Resources resources(TaskGenes g, NodeSpec host) {
        double[] cores = java.util.Arrays.stream(CORES).filter(c -> c <= host.cpu()).toArray();
        double[] memory = java.util.Arrays.stream(MEMORY_GB).filter(m -> m <= host.memoryGb()).toArray();
        double cpu = cores[g.cores() % cores.length];
        double memoryGb = memory[g.memory() % memory.length];
        int gpus = host.gpus().isEmpty() ? 0 : g.gpus() % (host.gpus().size() + 1);
        double slice = 0;
        if (gpus > 0) {
            // The gpus-th largest GPU bounds the slice, so that `gpus` GPUs are large enough.
            List<Double> sizes = host.gpus().stream().map(GpuSpec::memoryGb).sorted(Comparator.reverseOrder()).toList();
            double bound = sizes.get(gpus - 1);
            double[] slices = java.util.Arrays.stream(SLICES_GB).filter(s -> s <= bound).toArray();
            int choice = g.slice() % (slices.length + 1);
            slice = choice == 0 ? 0 : slices[choice - 1]; // 0 = whole GPUs
        }
        List<String> models = new ArrayList<>();
        models.add(null);
        models.addAll(host.allowedModels().isEmpty() ? List.of(MODELS) : new TreeSet<>(host.allowedModels()));
        String model = models.get(g.model() % models.size());
        return new Resources(cpu, memoryGb, gpus, slice, model);
    }
}
