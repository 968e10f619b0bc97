package dev.maze.offline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backlog to plan: tasks (of one or many requests) with their dependencies, the models they call, and the cluster.
 * Tasks are indexed {@code 0 .. size() - 1} in a topological order; strategies work on the indexes.
 *
 * <p>Switch time from model A to B on a GPU is {@code (size(A) + size(B)) / pcieGbPerSecond + overhead}, zero when
 * A = B, and {@code size(B) / pcieGbPerSecond + overhead} onto an empty GPU (maze-offline/README.md, "Model").
 */
public final class Problem {

    private final List<PlanTask> tasks;
    private final Map<String, Model> models;
    private final Cluster cluster;
    private final Map<String, Integer> index = new HashMap<>();
    private final int[][] predecessors;
    private final int[][] successors;
    private final int[] model;
    private final double[] seconds;
    private final List<String> modelNames;
    private final int[] modelGpus;
    private final double[] modelGb;
    private final int[] initial;

    /**
     * @throws IllegalArgumentException naming the task or model: a duplicate id, an unknown predecessor or model, a
     *     cycle, a model needing more GPUs than the cluster has or more memory than a GPU holds
     */
    public Problem(List<PlanTask> given, Map<String, Model> models, Cluster cluster) {
        this.models = Map.copyOf(models);
        this.cluster = cluster;
        this.modelNames = new ArrayList<>(new java.util.TreeSet<>(models.keySet()));
        Map<String, Integer> modelIndex = new HashMap<>();
        modelGpus = new int[modelNames.size()];
        modelGb = new double[modelNames.size()];
        for (int m = 0; m < modelNames.size(); m++) {
            Model spec = models.get(modelNames.get(m));
            modelIndex.put(spec.name(), m);
            modelGpus[m] = spec.gpusRequired();
            modelGb[m] = spec.memoryGb();
            if (spec.gpusRequired() > cluster.gpus()) {
                throw new IllegalArgumentException("model " + spec.name() + " needs " + spec.gpusRequired()
                        + " GPUs; the cluster has " + cluster.gpus());
            }
            if (spec.memoryGb() / spec.gpusRequired() > cluster.gpuMemoryGb()) {
                throw new IllegalArgumentException("model " + spec.name() + ": " + spec.memoryGb() + " GB over "
                        + spec.gpusRequired() + " GPU(s) does not fit GPUs of " + cluster.gpuMemoryGb() + " GB");
            }
        }
        initial = new int[cluster.gpus()];
        for (int g = 0; g < cluster.gpus(); g++) {
            String name = cluster.initialModels().get(g);
            Integer m = name == null ? Integer.valueOf(-1) : modelIndex.get(name);
            if (m == null) {
                throw new IllegalArgumentException("GPU " + g + " starts with model " + name + ", which is not described");
            }
            initial[g] = m;
        }
        Map<String, PlanTask> byId = new LinkedHashMap<>();
        for (PlanTask task : given) {
            if (byId.put(task.id(), task) != null) {
                throw new IllegalArgumentException("task id " + task.id() + " is used twice");
            }
            if (!modelIndex.containsKey(task.model())) {
                throw new IllegalArgumentException("task " + task.id() + " calls model " + task.model()
                        + ", which is not described (models: " + modelNames + ")");
            }
        }
        // Kahn's algorithm: a topological order, or the tasks of a cycle.
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> next = new HashMap<>();
        for (PlanTask task : given) {
            waiting.put(task.id(), task.after().size());
            for (String before : task.after()) {
                if (!byId.containsKey(before)) {
                    throw new IllegalArgumentException("task " + task.id() + " comes after " + before
                            + ", which is not a task of this problem");
                }
                next.computeIfAbsent(before, k -> new ArrayList<>()).add(task.id());
            }
        }
        ArrayDeque<String> ready = new ArrayDeque<>();
        given.forEach(task -> {
            if (task.after().isEmpty()) {
                ready.add(task.id());
            }
        });
        List<PlanTask> ordered = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            ordered.add(byId.get(id));
            for (String after : next.getOrDefault(id, List.of())) {
                if (waiting.merge(after, -1, Integer::sum) == 0) {
                    ready.add(after);
                }
            }
        }
        if (ordered.size() != given.size()) {
            List<String> cycle = waiting.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                    .sorted().limit(10).toList();
            throw new IllegalArgumentException("the dependencies form a cycle through " + cycle);
        }
        this.tasks = List.copyOf(ordered);
        int n = tasks.size();
        for (int i = 0; i < n; i++) {
            index.put(tasks.get(i).id(), i);
        }
        predecessors = new int[n][];
        model = new int[n];
        seconds = new double[n];
        List<List<Integer>> succ = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            succ.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            PlanTask task = tasks.get(i);
            predecessors[i] = task.after().stream().mapToInt(index::get).distinct().toArray();
            for (int p : predecessors[i]) {
                succ.get(p).add(i);
            }
            model[i] = modelIndex.get(task.model());
            seconds[i] = task.seconds();
        }
        successors = new int[n][];
        for (int i = 0; i < n; i++) {
            successors[i] = succ.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    public int size() {
        return tasks.size();
    }

    public PlanTask task(int i) {
        return tasks.get(i);
    }

    public List<PlanTask> tasks() {
        return tasks;
    }

    /** The index of the task with this id, or -1. */
    public int indexOf(String id) {
        return index.getOrDefault(id, -1);
    }

    public Cluster cluster() {
        return cluster;
    }

    public int gpus() {
        return cluster.gpus();
    }

    public Map<String, Model> models() {
        return models;
    }

    /** Predecessors of task {@code i} (indexes, all below {@code i}). */
    public int[] predecessors(int i) {
        return predecessors[i];
    }

    public int[] successors(int i) {
        return successors[i];
    }

    /** The model task {@code i} calls, as an index into {@link #modelName}. */
    public int model(int i) {
        return model[i];
    }

    public int modelCount() {
        return modelNames.size();
    }

    public String modelName(int m) {
        return m < 0 ? null : modelNames.get(m);
    }

    /** GPUs a copy of model {@code m} needs. */
    public int gpusOf(int m) {
        return modelGpus[m];
    }

    /** GPUs task {@code i} needs. */
    public int gpusNeeded(int i) {
        return modelGpus[model[i]];
    }

    public double seconds(int i) {
        return seconds[i];
    }

    /** The model GPU {@code g} holds at time 0, or -1. */
    public int initialModel(int g) {
        return initial[g];
    }

    /** Seconds a GPU holding model {@code from} (-1: none) takes to hold {@code to}; 0 when they are the same. */
    public double switchSeconds(int from, int to) {
        if (from == to) {
            return 0;
        }
        double gb = (from < 0 ? 0 : modelGb[from]) + (to < 0 ? 0 : modelGb[to]);
        return gb / cluster.pcieGbPerSecond() + cluster.switchOverheadSeconds();
    }
}
