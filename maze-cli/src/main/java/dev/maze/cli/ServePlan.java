package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.maze.core.exec.Durations;
import dev.maze.core.node.GpuSpec;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.sim.Arrival;
import dev.maze.core.sim.Phase;
import dev.maze.core.sim.Workload;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What {@code maze bench serve} runs, built once from a simulated workload so that the real run and its simulation
 * see the same work: every duration drawn once (seeded) and scaled, every arrival time scaled; the calls of the
 * models that take a whole GPU become {@code llm} calls to one on-demand model server per GPU of the workload's
 * cluster (a {@code maze fake-llm} process), everything else ({@code sim} CPU, I/O and small GPU-tool steps) runs on
 * one local node with the cluster's cores, memory and GPUs. The same registry file describes the servers to
 * {@code maze run} and to the simulator.
 */
final class ServePlan {

    /** Model milliseconds a fake server takes per output token: a call of D seconds is D × 10 tokens. */
    static final double DECODE_MS_PER_TOKEN = 100;

    /** One server: its endpoint id and port. */
    record Server(String id, int port) {
        String url() {
            return "http://127.0.0.1:" + port + "/v1";
        }
    }

    final Workload workload;
    final long seed;
    final double timeScale;
    /** The arrivals with drawn, scaled durations and scaled times, all tasks {@code sim}: what is simulated. */
    final List<Arrival> simulated;
    /** The same workflows for {@code maze run}: whole-GPU model calls as {@code llm} calls, each with its submitAt. */
    final List<WorkflowSpec> real;
    /** The models the servers hold (name to catalog entry, load time unscaled). */
    final Map<String, ModelSpec> serverModels;
    final List<Server> servers;
    final double serverMemoryGb;
    final int residentPerServer;
    final double loadSeconds;
    /** The node for everything that is not a server's call. */
    final NodeSpec local;

    private ServePlan(Workload workload, long seed, double timeScale, List<Arrival> simulated, List<WorkflowSpec> real,
            Map<String, ModelSpec> serverModels, List<Server> servers, double serverMemoryGb, int residentPerServer,
            double loadSeconds, NodeSpec local) {
        this.workload = workload;
        this.seed = seed;
        this.timeScale = timeScale;
        this.simulated = simulated;
        this.real = real;
        this.serverModels = serverModels;
        this.servers = servers;
        this.serverMemoryGb = serverMemoryGb;
        this.residentPerServer = residentPerServer;
        this.loadSeconds = loadSeconds;
        this.local = local;
    }

    /**
     * The plan for {@code workload} under {@code seed}, its servers on {@code ports} (one per GPU of the cluster).
     *
     * @throws IllegalArgumentException when the workload cannot be served this way (no whole-GPU model calls, GPUs of
     *     different sizes, server models of different load times), saying why
     */
    static ServePlan of(Workload workload, long seed, double timeScale, List<Integer> ports) {
        List<Arrival> arrivals = workload.arrivals(seed);
        Map<String, ModelSpec> serverModels = new TreeMap<>();
        for (Arrival arrival : arrivals) {
            for (TaskSpec task : arrival.spec().tasks()) {
                if (servedByServer(task)) {
                    String model = task.resources().model();
                    ModelSpec spec = workload.models().get(model);
                    if (spec == null) {
                        throw new IllegalArgumentException("model '" + model + "' (task " + task.id() + " of type "
                                + arrival.type() + ") is not in the workload's models: a server needs its memory and "
                                + "load time");
                    }
                    serverModels.put(model, spec);
                }
            }
        }
        if (serverModels.isEmpty()) {
            throw new IllegalArgumentException("no task calls a model on a whole GPU (resources gpus: 1, gpuMemoryGb: 0, "
                    + "a model): there is nothing for a model server to serve");
        }
        double load = serverModels.values().iterator().next().loadSeconds();
        double largest = 0;
        for (ModelSpec model : serverModels.values()) {
            if (model.loadSeconds() != load) {
                throw new IllegalArgumentException("the served models load in different times (" + describe(serverModels)
                        + "); maze fake-llm has one --load-seconds: give them one loadSeconds");
            }
            largest = Math.max(largest, model.memoryGb());
        }
        List<GpuSpec> gpus = new ArrayList<>();
        double cpu = 0;
        double memory = 0;
        for (NodeSpec node : workload.nodes()) {
            gpus.addAll(node.gpus());
            cpu += node.cpu();
            memory += node.memoryGb();
        }
        if (gpus.isEmpty()) {
            throw new IllegalArgumentException("the workload's cluster has no GPU to stand a model server in for");
        }
        double gpuMemory = gpus.get(0).memoryGb();
        if (gpus.stream().anyMatch(g -> g.memoryGb() != gpuMemory)) {
            throw new IllegalArgumentException("the cluster's GPUs differ in memory; the benchmark stands one server of "
                    + "one size in for each");
        }
        if (largest > gpuMemory) {
            throw new IllegalArgumentException("a served model takes " + largest + " GB, more than a GPU's " + gpuMemory
                    + " GB");
        }
        if (ports.size() != gpus.size()) {
            throw new IllegalArgumentException(gpus.size() + " GPUs need as many ports, got " + ports.size());
        }
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < gpus.size(); i++) {
            servers.add(new Server("gpu-" + (i + 1), ports.get(i)));
        }
        List<Arrival> simulated = new ArrayList<>();
        List<WorkflowSpec> real = new ArrayList<>();
        for (Arrival arrival : arrivals) {
            List<TaskSpec> simTasks = new ArrayList<>();
            List<TaskSpec> realTasks = new ArrayList<>();
            for (TaskSpec task : arrival.spec().tasks()) {
                double seconds = draw(task, arrival.spec().id(), seed);
                simTasks.add(withInputs(task, "sim", simInputs(seconds * timeScale)));
                realTasks.add(servedByServer(task)
                        ? withInputs(task, "llm", llmInputs(task, arrival, seconds, seed))
                        : withInputs(task, "sim", simInputs(seconds * timeScale)));
            }
            WorkflowSpec spec = arrival.spec();
            WorkflowSpec simSpec = new WorkflowSpec(spec.id(), spec.name(), spec.priorityClass(), spec.deadlineSeconds(),
                    simTasks, spec.source());
            simulated.add(new Arrival(arrival.atSeconds() * timeScale, arrival.phase(), arrival.type(), simSpec));
            real.add(new WorkflowSpec(spec.id(), spec.name(), spec.priorityClass(), spec.deadlineSeconds(), realTasks,
                    spec.source()).withSubmitAt(arrival.atSeconds() * timeScale));
        }
        NodeSpec local = ClusterOptions.local(gpus.size(), gpuMemory, cpu, memory);
        return new ServePlan(workload, seed, timeScale, simulated, real, serverModels, servers, gpuMemory,
                (int) Math.floor(gpuMemory / largest), load, local);
    }

    /** A call of a model on one whole GPU: what a model server stands in for. */
    static boolean servedByServer(TaskSpec task) {
        Resources resources = task.resources();
        return resources.model() != null && resources.gpus() == 1 && resources.wholeGpus();
    }

    /** The task's duration, drawn once from the plan's seed, the workflow and the task (unscaled). */
    private static double draw(TaskSpec task, String workflowId, long seed) {
        JsonNode inputs = task.inputs();
        if (inputs.has("seconds")) {
            return inputs.get("seconds").asDouble();
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + (workflowId + "/" + task.id()).hashCode());
        return Durations.sample(inputs.get("duration"), random);
    }

    private static ObjectNode simInputs(double seconds) {
        return JsonNodeFactory.instance.objectNode().put("seconds", seconds);
    }

    /**
     * A chat call that a server of the plan answers in {@code seconds} model seconds (× the time scale on the wall):
     * no prefill, so the answer's tokens set the time; non-streaming, as timing is the server's.
     */
    private static ObjectNode llmInputs(TaskSpec task, Arrival arrival, double seconds, long seed) {
        ObjectNode inputs = JsonNodeFactory.instance.objectNode();
        inputs.put("model", task.resources().model());
        inputs.put("prompt", arrival.type() + " " + arrival.spec().id() + " " + task.id());
        inputs.put("maxTokens", tokensFor(seconds));
        inputs.put("seed", seed);
        inputs.put("stream", false);
        return inputs;
    }

    /** Output tokens of a call of {@code seconds}: the first at once (no prefill), one decode step each after it. */
    static int tokensFor(double seconds) {
        return 1 + (int) Math.max(0, Math.round(seconds * 1000 / DECODE_MS_PER_TOKEN));
    }

    private static TaskSpec withInputs(TaskSpec task, String kind, ObjectNode inputs) {
        return new TaskSpec(task.id(), kind, task.toolType(), task.dependsOn(), task.resources(), inputs,
                task.timeoutSeconds(), task.retries(), task.features(), task.predictedSeconds());
    }

    private static String describe(Map<String, ModelSpec> models) {
        StringBuilder text = new StringBuilder();
        models.forEach((name, spec) -> text.append(text.isEmpty() ? "" : ", ").append(name).append(" ")
                .append(spec.loadSeconds()).append(" s"));
        return text.toString();
    }

    /** The simulated side: the local node, the arrivals above, no model catalog (loads are the registry's alone). */
    Workload simulatedWorkload() {
        List<Phase> phases = new ArrayList<>();
        for (Phase phase : workload.phases()) {
            phases.add(new Phase(phase.name(), phase.startSeconds() * timeScale, phase.endSeconds() * timeScale,
                    phase.ratePerSecond() / timeScale));
        }
        List<Arrival> arrivals = List.copyOf(simulated);
        return Workload.of(workload.name(), List.of(local), Map.of(), phases, seed, ignored -> arrivals);
    }

    /** The registry of the servers: on-demand, one call at a time, the served models with scaled load times. */
    void writeRegistry(Path file) throws IOException {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode endpoints = root.putArray("endpoints");
        for (Server server : servers) {
            ObjectNode endpoint = endpoints.addObject();
            endpoint.put("id", server.id());
            endpoint.put("url", server.url());
            endpoint.put("maxConcurrency", 1);
            endpoint.put("holds", "on-demand");
            endpoint.put("memoryGb", serverMemoryGb);
            ObjectNode models = endpoint.putObject("models");
            serverModels.forEach((name, spec) -> models.putObject(name).put("memoryGb", spec.memoryGb())
                    .put("loadSeconds", spec.loadSeconds() * timeScale));
        }
        new YAMLMapper().writeValue(file.toFile(), root);
    }

    /** The real side's workflow file. */
    void writeWorkflows(Path file) throws IOException {
        ArrayNode workflows = JsonNodeFactory.instance.arrayNode();
        for (WorkflowSpec spec : real) {
            workflows.add(WorkflowExport.workflow(spec, 1).put("submitAt", spec.submitAtSeconds()));
        }
        new YAMLMapper().writeValue(file.toFile(), workflows);
    }

    /** The arguments of one server's {@code maze fake-llm}. */
    List<String> fakeLlmArguments(Server server) {
        return List.of("fake-llm", "--port", String.valueOf(server.port()), "--models",
                String.join(",", serverModels.keySet()), "--on-demand", "--max-resident", String.valueOf(residentPerServer),
                "--load-seconds", String.valueOf(loadSeconds), "--max-concurrency", "1", "--prefill-ms-per-token", "0",
                "--decode-ms-per-token", String.valueOf(DECODE_MS_PER_TOKEN), "--time-scale", String.valueOf(timeScale),
                "--seed", String.valueOf(seed));
    }

    /** The arguments of the {@code maze run} of one profile. */
    List<String> runArguments(Path workflows, Path registry, String profile) {
        return List.of("run", workflows.toString(), "--models", registry.toString(), "--profile", profile,
                "--gpus", String.valueOf(local.gpus().size()), "--gpu-memory-gb", String.valueOf(serverMemoryGb),
                "--cpus", String.valueOf(local.cpu()), "--memory-gb", String.valueOf(local.memoryGb()),
                "--seed", String.valueOf(seed), "--json", "-q");
    }

    /** Number of workflows. */
    int size() {
        return real.size();
    }
}
