package dev.maze.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.offline.PlanBenchmark;
import dev.maze.offline.Strategies;
import dev.maze.offline.Strategy;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maze bench plan}: the offline planner's figures (maze-offline/README.md, "Measurements"): every strategy on
 * the Standard Task Graph Set sample against its published references, on generated LLM batches against the seed's
 * strategies and the lower bound, and its planning time per 1,000 tasks at 64 GPUs.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the offline planner's strategies.",
                "stg: every strategy on the STG sample, as ratios to the published reference makespans; llm: on",
                "generated LLM batches with switch costs, against the lower bound and the seed's two strategies;",
                "time: planning milliseconds per 1,000 tasks at 64 GPUs."},
        footer = {"", "Exit codes: 0 measured, 2 invalid option or a missing sample."})
final class PlanBenchmarkCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> SETS = Set.of("stg", "llm", "time");

    @Option(names = "--sets", split = ",", paramLabel = "SET", defaultValue = "stg,llm,time",
            description = "What to measure: stg, llm, time (comma-separated). Default: ${DEFAULT-VALUE}.")
    List<String> sets;

    @Option(names = "--stg", paramLabel = "DIR",
            description = "The STG sample (optimal.csv and the graphs it names). Default: benchmarks/stg of the "
                    + "installation (the sample, copied from the project's shared data).")
    Path stg;

    @Option(names = "--seeds", defaultValue = "3", paramLabel = "K",
            description = "LLM batches: generator seeds 1..K. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--gpus", split = ",", defaultValue = "4,8,16,64", paramLabel = "G",
            description = "LLM batches: cluster sizes. Default: ${DEFAULT-VALUE}.")
    List<Integer> gpus;

    @Option(names = "--time-limit", defaultValue = "1", paramLabel = "S",
            description = "Seconds each plan's improvement phase may take. Default: ${DEFAULT-VALUE}.")
    double timeLimit;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the strategies' random choices. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (String set : sets) {
            if (!SETS.contains(set)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sets: no set '" + set
                        + "'; known: stg, llm, time");
            }
        }
        OptionRange.whole(spec, "--seeds", seeds, 1, 1_000);
        for (int g : gpus) {
            OptionRange.whole(spec, "--gpus", g, 1, 4_096);
        }
        if (!(timeLimit >= 0) || timeLimit > 3_600) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--time-limit must be 0 to 3600 seconds, not "
                    + timeLimit);
        }
        Path sample = stg != null ? stg : Path.of(System.getProperty("maze.home", ".")).resolve("benchmarks/stg")
                .normalize();
        if (sets.contains("stg") && !Files.isRegularFile(sample.resolve("optimal.csv"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stg: no optimal.csv in " + sample
                    + " (give the STG sample's directory)");
        }
        List<Strategy> strategies = Strategies.all();
        Strategy.Budget budget = new Strategy.Budget(timeLimit, seed);
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode result = JSON.createObjectNode().put("timeLimitSeconds", timeLimit).put("seed", seed);
        if (sets.contains("stg")) {
            List<PlanBenchmark.StgRow> rows = PlanBenchmark.stg(sample, strategies, budget);
            result.set("stg", JSON.valueToTree(rows));
            if (!json) {
                out.printf("STG sample (%s), switching free: makespan / published reference, time limit %s s%n", sample,
                        timeLimit);
                out.printf("%-10s %6s %10s %10s  %-22s %s%n", "strategy", "rows", "mean", "worst", "worst at",
                        "longer than heft");
                for (PlanBenchmark.StgRow row : rows) {
                    out.printf("%-10s %6d %10.5f %10.4f  %-22s %d%n", row.strategy(), row.instances(), row.meanRatio(),
                            row.worstRatio(), row.worstInstance(), row.worseThanHeft());
                }
                out.println();
            }
        }
        if (sets.contains("llm")) {
            long[] seedList = LongStream.rangeClosed(1, seeds).toArray();
            int[] gpuCounts = gpus.stream().mapToInt(Integer::intValue).toArray();
            PlanBenchmark.LlmResult llm = PlanBenchmark.llm(seedList, gpuCounts, strategies, budget);
            result.set("llm", JSON.valueToTree(llm));
            if (!json) {
                out.printf("LLM batches, seeds 1-%d x G in %s (%d instances), time limit %s s: gap = makespan / lower "
                        + "bound - 1%n", seeds, gpus, llm.instances().size(), timeLimit);
                out.printf("%-10s %14s %14s %10s %10s%n", "strategy", "makespan s", "switches", "mean gap", "worst gap");
                for (PlanBenchmark.LlmRow row : llm.rows()) {
                    out.printf("%-10s %14.1f %14.1f %9.1f%% %9.1f%%%n", row.strategy(), row.meanMakespan(),
                            row.meanSwitches(), 100 * row.meanGap(), 100 * row.worstGap());
                }
                out.printf("%s / min(%s) per instance: mean %.3f, worst %.3f%n%n", PlanBenchmark.OURS,
                        String.join(", ", PlanBenchmark.SEEDS_OWN), llm.meanRatioToSeed(), llm.worstRatioToSeed());
            }
        }
        if (sets.contains("time")) {
            List<PlanBenchmark.TimingRow> rows = PlanBenchmark.planningTime(strategies, 64, 1000, 11, 1);
            result.set("time", JSON.valueToTree(rows));
            if (!json) {
                out.println("Planning time at G = 64 (median of 11 runs after 11 warm-ups; searches with time limit 0)");
                for (PlanBenchmark.TimingRow row : rows) {
                    out.printf("%-10s %8.1f ms per 1,000 tasks (%d tasks)%n", row.strategy(), row.msPer1000Tasks(),
                            row.tasks());
                }
            }
        }
        if (json) {
            out.println(result.toPrettyString());
        }
        out.flush();
        return 0;
    }
}
