package dev.maze.offline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner's benchmarks, as records a CLI prints as a table or JSON:
 * <ul>
 *   <li>{@link #stg}: each strategy's makespan over the published reference on every (graph, processors) row of an
 *       STG sample's {@code optimal.csv}, switching free;
 *   <li>{@link #llm}: generated LLM batches ({@link LlmBatches}) with switch costs;
 *   <li>{@link #planningTime}: milliseconds per 1,000 tasks of each greedy strategy at G = 64.
 * </ul>
 */
public final class PlanBenchmark {

    /** The strategy the LLM comparison is about, and the seed's two it is compared with. */
    public static final String OURS = "affinity";
    public static final List<String> SEEDS_OWN = List.of("dynamic", "batch");

    private PlanBenchmark() {}

    /** One strategy on the STG sample: ratio to the reference, mean and worst; rows where it is longer than heft's. */
    public record StgRow(String strategy, int instances, double meanRatio, double worstRatio, String worstInstance,
            int worseThanHeft) {}

    /** One strategy on the LLM batches: means over instances; gap = makespan / lower bound − 1. */
    public record LlmRow(String strategy, int instances, double meanMakespan, double meanSwitches, double meanGap,
            double worstGap) {}

    /** Ours over min(dynamic, batch), per instance: mean and worst (highest). */
    public record LlmResult(List<LlmRow> rows, int[] gpuCounts, long[] seeds, double meanRatioToSeed,
            double worstRatioToSeed, List<LlmInstance> instances) {}

    /** One generated instance: its makespan by strategy (in the given order) and its lower bound. */
    public record LlmInstance(long seed, int gpus, int tasks, double lowerBound, Map<String, Double> makespan,
            Map<String, Integer> switches) {}

    /** A strategy's planning time: median milliseconds per 1,000 tasks over {@code runs} runs on {@code tasks}. */
    public record TimingRow(String strategy, int gpus, int tasks, int runs, double msPer1000Tasks) {}

    /**
     * @param sampleDir a directory holding {@code optimal.csv} ({@code graph,processors,optimal_makespan}) and the graphs
     *     it names
     */
    public static List<StgRow> stg(Path sampleDir, List<Strategy> strategies, Strategy.Budget budget) throws IOException {
        List<String> lines = Files.readAllLines(sampleDir.resolve("optimal.csv"));
        int rows = 0;
        Map<String, Integer> worse = new LinkedHashMap<>();
        List<double[]> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Strategy heft = Strategies.named("heft");
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            int processors = Integer.parseInt(f[1].strip());
            double reference = Double.parseDouble(f[2].strip());
            Problem problem = StgLoader.problem(sampleDir.resolve(f[0].strip()), processors);
            double[] makespans = new double[strategies.size()];
            double heftMakespan = Double.NaN;
            for (int s = 0; s < strategies.size(); s++) {
                makespans[s] = strategies.get(s).plan(problem, budget).makespan();
                if (strategies.get(s).name().equals(heft.name())) {
                    heftMakespan = makespans[s]; // heft is greedy: its plan is the same planned again
                }
            }
            if (Double.isNaN(heftMakespan)) {
                heftMakespan = heft.plan(problem, budget).makespan();
            }
            double[] row = new double[strategies.size()];
            for (int s = 0; s < strategies.size(); s++) {
                row[s] = makespans[s] / reference;
                if (makespans[s] > heftMakespan + Verifier.EPSILON) {
                    worse.merge(strategies.get(s).name(), 1, Integer::sum);
                }
            }
            all.add(row);
            names.add(f[0].strip() + "@" + processors);
            rows++;
        }
        List<StgRow> result = new ArrayList<>();
        for (int s = 0; s < strategies.size(); s++) {
            double sum = 0;
            double worst = 0;
            String where = "";
            for (int r = 0; r < rows; r++) {
                sum += all.get(r)[s];
                if (all.get(r)[s] > worst) {
                    worst = all.get(r)[s];
                    where = names.get(r);
                }
            }
            String name = strategies.get(s).name();
            result.add(new StgRow(name, rows, rows == 0 ? 0 : sum / rows, worst, where, worse.getOrDefault(name, 0)));
        }
        return result;
    }

    /**
     * Every strategy on {@code LlmBatches.problem(seed, g)} for each seed and G, with the budget's time limit and the
     * seed {@code budget.seed() + seed}.
     */
    public static LlmResult llm(long[] seeds, int[] gpuCounts, List<Strategy> strategies, Strategy.Budget budget) {
        List<LlmInstance> instances = new ArrayList<>();
        for (long seed : seeds) {
            for (int g : gpuCounts) {
                Problem problem = LlmBatches.problem(seed, g);
                Map<String, Double> makespan = new LinkedHashMap<>();
                Map<String, Integer> switches = new LinkedHashMap<>();
                for (Strategy strategy : strategies) {
                    Plan plan = strategy.plan(problem, new Strategy.Budget(budget.timeLimitSeconds(), budget.seed() + seed));
                    makespan.put(strategy.name(), plan.makespan());
                    switches.put(strategy.name(), plan.switches().size());
                }
                instances.add(new LlmInstance(seed, g, problem.size(), LowerBounds.of(problem).best(), makespan, switches));
            }
        }
        List<LlmRow> rows = new ArrayList<>();
        for (Strategy strategy : strategies) {
            String name = strategy.name();
            double ms = 0, sw = 0, gap = 0, worstGap = 0;
            for (LlmInstance i : instances) {
                ms += i.makespan().get(name);
                sw += i.switches().get(name);
                double g = i.makespan().get(name) / i.lowerBound() - 1;
                gap += g;
                worstGap = Math.max(worstGap, g);
            }
            int k = instances.size();
            rows.add(new LlmRow(name, k, ms / k, sw / k, gap / k, worstGap));
        }
        double sum = 0;
        double worst = Double.NaN;
        int counted = 0;
        for (LlmInstance i : instances) {
            Double ours = i.makespan().get(OURS);
            double seedBest = SEEDS_OWN.stream().filter(i.makespan()::containsKey).mapToDouble(i.makespan()::get).min()
                    .orElse(Double.NaN);
            if (ours != null && !Double.isNaN(seedBest)) {
                double ratio = ours / seedBest;
                sum += ratio;
                worst = Double.isNaN(worst) ? ratio : Math.max(worst, ratio);
                counted++;
            }
        }
        return new LlmResult(rows, gpuCounts.clone(), seeds.clone(), counted == 0 ? Double.NaN : sum / counted, worst,
                instances);
    }

    /**
     * Median planning time per 1,000 tasks at G = {@code gpus} on the generated batch of {@code seed} sized to about
     * {@code tasks} tasks, after {@code runs} warm-up runs. Strategies with an improvement phase run with time limit 0
     * (their construction alone: for {@code affinity} that includes building heft's, dynamic's and batch's plans).
     */
    public static List<TimingRow> planningTime(List<Strategy> strategies, int gpus, int tasks, int runs, long seed) {
        Problem problem = LlmBatches.problem(seed, gpus, Math.max(1, tasks / 5));
        List<TimingRow> rows = new ArrayList<>();
        Strategy.Budget greedy = new Strategy.Budget(0, seed);
        for (Strategy strategy : strategies) {
            for (int w = 0; w < runs; w++) {
                strategy.plan(problem, greedy);
            }
            double[] ms = new double[runs];
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                strategy.plan(problem, greedy);
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            rows.add(new TimingRow(strategy.name(), gpus, problem.size(), runs, ms[runs / 2] * 1000.0 / problem.size()));
        }
        return rows;
    }
}
