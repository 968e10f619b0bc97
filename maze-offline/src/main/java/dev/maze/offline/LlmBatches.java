package dev.maze.offline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated LLM batches: a backlog of agent-workflow requests over a few models, deterministic by seed.
 *
 * <p><b>Models.</b> From {@link #CATALOGUE} (realistic sizes in GB of fp16 weights plus headroom, and the GPUs of 80 GB
 * one copy needs: 7-8B ≈ 15 GB on 1 GPU, 13-14B ≈ 28 GB on 1, 32-34B ≈ 65 GB on 1, 70-72B ≈ 140 GB on 2, a 180 GB
 * model on 4) the seed picks 3 to 8, always at least one small (7-8B) and one large (32B or more); the 4-GPU model only
 * where G ≥ 4 (always so here).
 *
 * <p><b>Requests.</b> {@code 6 × G} requests, each of one of four shapes, with roles mapped to models by size class
 * (small: the 7-14B models, large: 32B and more; each request picks its models once):
 * <ul>
 *   <li><b>chain</b>: plan (large) → act (small) → reflect (large), the act/reflect pair repeated 1-2 times;
 *   <li><b>research</b>: plan (large) → 3-6 parallel searches (small) → synthesise (large);
 *   <li><b>rag</b>: retrieve/rerank (small) → generate (any) → optionally cite-check (small);
 *   <li><b>judge</b>: generate (any) → judge (small) → revise (the generator's model), 1-3 rounds.
 * </ul>
 * <p><b>Times.</b> A task's seconds are drawn uniformly per size class and role weight: about 2-12 s on a 7-8B model,
 * 4-20 s on 13-14B, 8-40 s on 32-34B, 12-60 s on 70B, 20-90 s on the 4-GPU model; a synthesis or generation step
 * takes 1.5× that, a retrieval or judge step 0.5×. Rounded to 0.1 s.
 *
 * <p><b>Cluster.</b> G GPUs of 80 GB, PCIe 25 GB/s, 2 s overhead per switch. With probability 1/2 every GPU starts empty;
 * otherwise each GPU starts with a random single-GPU model of the batch with probability 1/2 (else empty).
 */
public final class LlmBatches {

    /** A model of the catalogue: name, GB, GPUs, and the base time range (seconds) of a task on it. */
    record Spec(String name, double gb, int gpus, double minSeconds, double maxSeconds) {
        boolean large() {
            return gb >= 60;
        }
    }

    static final List<Spec> CATALOGUE = List.of(
            new Spec("llama-3-8b", 16, 1, 2, 12), new Spec("mistral-7b", 15, 1, 2, 12),
            new Spec("qwen2.5-14b", 29, 1, 4, 20), new Spec("llama-2-13b", 26, 1, 4, 20),
            new Spec("qwen2.5-32b", 65, 1, 8, 40), new Spec("codellama-34b", 68, 1, 8, 40),
            new Spec("llama-3-70b", 140, 2, 12, 60), new Spec("qwen2-72b", 145, 2, 12, 60),
            new Spec("falcon-180b", 180, 4, 20, 90));

    /** The G values of the generated set. */
    public static final List<Integer> GPU_COUNTS = List.of(4, 8, 16, 64);

    private LlmBatches() {}

    /** The batch of {@code seed} on {@code gpus} GPUs (4 or more). */
    public static Problem problem(long seed, int gpus) {
        return problem(seed, gpus, 6 * gpus);
    }

    /** As {@link #problem(long, int)} with {@code requests} requests. */
    public static Problem problem(long seed, int gpus, int requests) {
        if (gpus < 4) {
            throw new IllegalArgumentException("generated LLM batches need 4 GPUs or more (a 4-GPU model), not " + gpus);
        }
        Random random = new Random(seed * 1_000_003L + gpus);
        List<Spec> small = new ArrayList<>(CATALOGUE.stream().filter(s -> s.gb() < 20).toList());
        List<Spec> pool = new ArrayList<>(CATALOGUE);
        java.util.Collections.shuffle(small, random);
        java.util.Collections.shuffle(pool, random);
        int count = 3 + random.nextInt(6);
        List<Spec> chosen = new ArrayList<>();
        chosen.add(small.get(0));
        for (Spec spec : pool) {
            if (chosen.size() == count - 1) {
                break;
            }
            if (!chosen.contains(spec)) {
                chosen.add(spec);
            }
        }
        if (chosen.stream().noneMatch(Spec::large)) {
            chosen.add(pool.stream().filter(Spec::large).findFirst().orElseThrow());
        } else {
            for (Spec spec : pool) {
                if (!chosen.contains(spec)) {
                    chosen.add(spec);
                    break;
                }
            }
        }
        List<Spec> smalls = chosen.stream().filter(s -> !s.large()).toList();
        List<Spec> larges = chosen.stream().filter(Spec::large).toList();
        Map<String, Model> models = new LinkedHashMap<>();
        for (Spec spec : chosen) {
            models.put(spec.name(), new Model(spec.name(), spec.gb(), spec.gpus()));
        }
        List<PlanTask> tasks = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            Builder b = new Builder(random, tasks, "q" + r);
            Spec s1 = pick(random, smalls);
            Spec l1 = pick(random, larges);
            Spec any = pick(random, chosen);
            switch (random.nextInt(4)) {
                case 0 -> { // chain: plan -> (act -> reflect) x 1-2
                    String last = b.task("plan", l1, 1, List.of());
                    for (int round = 0, rounds = 1 + random.nextInt(2); round < rounds; round++) {
                        last = b.task("act" + round, s1, 1, List.of(last));
                        last = b.task("reflect" + round, l1, 1, List.of(last));
                    }
                }
                case 1 -> { // research: plan -> 3-6 searches -> synthesise
                    String plan = b.task("plan", l1, 1, List.of());
                    List<String> found = new ArrayList<>();
                    for (int i = 0, width = 3 + random.nextInt(4); i < width; i++) {
                        found.add(b.task("search" + i, s1, 1, List.of(plan)));
                    }
                    b.task("synthesise", l1, 1.5, found);
                }
                case 2 -> { // rag: retrieve -> generate -> cite-check (sometimes)
                    String retrieved = b.task("retrieve", s1, 0.5, List.of());
                    String generated = b.task("generate", any, 1.5, List.of(retrieved));
                    if (random.nextBoolean()) {
                        b.task("cite", s1, 0.5, List.of(generated));
                    }
                }
                default -> { // judge loop: generate -> (judge -> revise) x 1-3
                    String last = b.task("generate", any, 1.5, List.of());
                    for (int round = 0, rounds = 1 + random.nextInt(3); round < rounds; round++) {
                        last = b.task("judge" + round, s1, 0.5, List.of(last));
                        last = b.task("revise" + round, any, 1, List.of(last));
                    }
                }
            }
        }
        List<String> initial = new ArrayList<>();
        boolean warm = random.nextBoolean();
        List<Spec> single = chosen.stream().filter(s -> s.gpus() == 1).toList();
        for (int g = 0; g < gpus; g++) {
            initial.add(warm && random.nextBoolean() ? pick(random, single).name() : null);
        }
        Cluster cluster = new Cluster(gpus, Cluster.DEFAULT_GPU_MEMORY_GB, Cluster.DEFAULT_PCIE_GB_PER_SECOND,
                Cluster.DEFAULT_OVERHEAD_SECONDS, initial);
        return new Problem(tasks, models, cluster);
    }

    private static Spec pick(Random random, List<Spec> from) {
        return from.get(random.nextInt(from.size()));
    }

    private record Builder(Random random, List<PlanTask> tasks, String request) {
        String task(String role, Spec spec, double weight, List<String> after) {
            double seconds = weight * (spec.minSeconds() + random.nextDouble() * (spec.maxSeconds() - spec.minSeconds()));
            String id = request + "." + role;
            tasks.add(new PlanTask(id, request, spec.name(), Math.round(seconds * 10) / 10.0, after));
            return id;
        }
    }
}
