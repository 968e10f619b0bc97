package dev.maze.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.maze.explore.ExploreBenchmark;
import dev.maze.explore.TraceSchedulers;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maze explore bench}: the trace schedulers on synthetic traces with hidden qualities, in virtual time
 * (maze-explore/README.md, "Benchmark").
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare the trace schedulers on synthetic traces with hidden qualities.",
                "Trace k (the k-th started) accepts an experiment with probability p_k, or with --hill-climb moves a",
                "child's score by N(m_k, 1) from where its path stands. P loops share a budget of B experiments in",
                "virtual time. Per scheduler, means over the seeds of: accepted experiments, the best experiment's",
                "path depth, its score, and the share of the budget spent on the trace with the best hidden value."},
        footer = {"", "Exit codes: 0 measured, 2 invalid option."})
final class ExploreBenchmarkCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<Double> DEFAULT_PROBABILITIES = List.of(0.1, 0.3, 0.6);

    @Option(names = "--probabilities", split = ",", paramLabel = "P",
            description = "Each trace's hidden success probability, 0 to 1, in the order the traces are started. "
                    + "Default: 0.1,0.3,0.6.")
    List<Double> probabilities;

    @Option(names = "--hill-climb", split = ",", paramLabel = "MEANS",
            description = "Instead of --probabilities: each trace's hidden mean step m_k; a child scores where its "
                    + "path stands + N(m_k, 1) and is accepted when that improves.")
    List<Double> hillClimb;

    @Option(names = "--budget", defaultValue = "60", paramLabel = "B",
            description = "Experiments per run, 1 to 10,000. Default: ${DEFAULT-VALUE}.")
    int budget;

    @Option(names = "--loops", defaultValue = "1", paramLabel = "P",
            description = "Loops in parallel, 1 to 64. Default: ${DEFAULT-VALUE}.")
    int loops;

    @Option(names = "--max-traces", paramLabel = "K",
            description = "Traces a scheduler may start, 1 to the number of hidden values. Default: that number.")
    Integer maxTraces;

    @Option(names = "--seeds", defaultValue = "200", paramLabel = "K",
            description = "Runs per scheduler, seeds 1..K, 1 to 10,000. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--scheduler", paramLabel = "SPEC,...",
            description = "Schedulers to compare, comma-separated, each a name with optional parameters "
                    + "(sota:inverse=true,decay=0.8). Default: all of round-robin, probabilistic, trace-length, sota, "
                    + "random, mcts.")
    List<String> schedulers;

    @Option(names = "--json", description = "Print one JSON object per scheduler, in an array.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (probabilities != null && hillClimb != null) {
            throw usage("give --probabilities or --hill-climb, not both");
        }
        ExploreBenchmark.Mode mode = hillClimb != null ? ExploreBenchmark.Mode.HILL_CLIMB : ExploreBenchmark.Mode.SUCCESS;
        List<Double> hidden = hillClimb != null ? hillClimb : probabilities != null ? probabilities
                : DEFAULT_PROBABILITIES;
        String option = hillClimb != null ? "--hill-climb" : "--probabilities";
        OptionRange.whole(spec, option + " (traces)", hidden.size(), 1, ExploreBenchmark.MAX_TRACES);
        for (double value : hidden) {
            if (mode == ExploreBenchmark.Mode.SUCCESS && !(value >= 0 && value <= 1)) {
                throw usage("--probabilities: " + value + " is not a probability (0 to 1)");
            }
            if (!Double.isFinite(value)) {
                throw usage(option + ": " + value + " is not a finite number");
            }
        }
        OptionRange.whole(spec, "--budget", budget, 1, ExploreBenchmark.MAX_BUDGET);
        OptionRange.whole(spec, "--loops", loops, 1, ExploreBenchmark.MAX_LOOPS);
        int traces = maxTraces == null ? hidden.size() : maxTraces;
        OptionRange.whole(spec, "--max-traces", traces, 1, hidden.size());
        OptionRange.whole(spec, "--seeds", seeds, 1, ExploreBenchmark.MAX_SEEDS);
        List<String> specs = schedulers == null ? TraceSchedulers.names() : SimulateCommand.specs(schedulers);
        if (specs.isEmpty()) {
            throw usage("--scheduler names no scheduler; known: " + String.join(", ", TraceSchedulers.names()));
        }
        for (String scheduler : specs) {
            try {
                TraceSchedulers.policy(scheduler);
            } catch (IllegalArgumentException e) {
                throw usage("--scheduler: " + e.getMessage());
            }
        }
        ExploreBenchmark.Settings settings = new ExploreBenchmark.Settings(mode, hidden, budget, loops, traces, seeds,
                specs);
        List<ExploreBenchmark.Row> rows = ExploreBenchmark.run(settings);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode array = JSON.createArrayNode();
            for (ExploreBenchmark.Row row : rows) {
                array.addObject().put("scheduler", row.scheduler()).put("accepted", row.accepted().mean())
                        .put("bestPathDepth", row.bestPathDepth().mean()).put("bestScore", row.bestScore().mean())
                        .put("shareBest", row.shareBest().mean());
            }
            out.println(array.toPrettyString());
        } else {
            out.printf(Locale.ROOT, "%s %s; budget %d, %d loop%s, at most %d traces, seeds 1-%d: means ± standard "
                    + "error%n", mode == ExploreBenchmark.Mode.SUCCESS ? "success probabilities" : "hill-climb means",
                    hidden.stream().map(String::valueOf).collect(Collectors.joining(",")), budget, loops,
                    loops == 1 ? "" : "s", traces, seeds);
            int width = Math.max("scheduler".length(), specs.stream().mapToInt(String::length).max().orElse(0));
            out.printf(Locale.ROOT, "%-" + width + "s  %15s  %15s  %15s  %15s%n", "scheduler", "accepted",
                    "best-path depth", "best score", "share on best");
            for (ExploreBenchmark.Row row : rows) {
                out.printf(Locale.ROOT, "%-" + width + "s  %15s  %15s  %15s  %15s%n", row.scheduler(),
                        figure(row.accepted()), figure(row.bestPathDepth()), figure(row.bestScore()),
                        figure(row.shareBest()));
            }
        }
        out.flush();
        return 0;
    }

    private static String figure(ExploreBenchmark.Figure figure) {
        return String.format(Locale.ROOT, "%.2f ± %.2f", figure.mean(), figure.standardError());
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
