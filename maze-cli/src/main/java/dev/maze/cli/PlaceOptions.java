package dev.maze.cli;

import dev.maze.placement.Allocators;
import dev.maze.placement.Cluster;
import dev.maze.placement.LayerAllocator;
import dev.maze.placement.LayerModel;
import dev.maze.placement.ModelFile;
import dev.maze.placement.NodesFile;
import dev.maze.placement.Objective;
import dev.maze.placement.Problem;
import dev.maze.placement.Serving;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options {@code maze place} and {@code maze place simulate} share: what to place where, and how. */
final class PlaceOptions {

    // Checked in problem(), not by picocli: a required option of maze place would be demanded of maze place simulate.
    @Option(names = "--model", paramLabel = "FILE",
            description = "The model: a Hugging Face config.json, or YAML/JSON with an architecture (layers, "
                    + "hiddenSize, ...) or per-layer figures (layers, layerGflopsPerToken, layerWeightGb, ...).")
    Path model;

    @Option(names = "--nodes", paramLabel = "FILE",
            description = "The nodes: a YAML/JSON list of {id, gpus, tflops, memoryGb, memoryBandwidthGbPerSec, "
                    + "rttMs, ...}, or {defaultRttMs, nodes: [...]}.")
    Path nodes;

    @Option(names = "--allocator", defaultValue = "dp", paramLabel = "NAME",
            description = "dp, greedy or waterfill. Default: ${DEFAULT-VALUE}.")
    String allocator;

    @Option(names = "--objective", defaultValue = "throughput", paramLabel = "NAME",
            description = "throughput (one pipeline, least bottleneck), latency (one pipeline, least stages + RTTs) "
                    + "or replicas (disjoint pipelines, most tokens/s). Default: ${DEFAULT-VALUE}.")
    String objective;

    @Option(names = "--batch-tokens", defaultValue = "1", paramLabel = "N",
            description = "Tokens a forward pass carries, 1 to 65,536: they share each read of the weights. "
                    + "Default: ${DEFAULT-VALUE}.")
    int batchTokens;

    @Option(names = "--max-latency-ms", paramLabel = "MS",
            description = "replicas: a pipeline's end-to-end latency limit per token. Default: none.")
    Double maxLatencyMs;

    @Option(names = "--context-tokens", defaultValue = "4096", paramLabel = "N",
            description = "Tokens of context a request may reach, 0 to 10,000,000: every stage keeps KV cache for at "
                    + "least one such request, and its KV cache bounds the requests it holds at once (0: KV cache left "
                    + "out). Default: ${DEFAULT-VALUE}.")
    int contextTokens;

    LayerModel layerModel;
    Cluster cluster;

    /** Reads and checks everything; a usage error (exit 2) naming the file and field otherwise. */
    Problem problem(CommandLine.Model.CommandSpec spec) throws IOException {
        OptionRange.whole(spec, "--batch-tokens", batchTokens, 1, 65_536);
        OptionRange.whole(spec, "--context-tokens", contextTokens, 0, 10_000_000);
        if (maxLatencyMs != null) {
            OptionRange.positive(spec, "--max-latency-ms", maxLatencyMs, 1e9, "milliseconds");
        }
        allocator(spec);
        objective(spec);
        if (model == null || nodes == null) {
            throw usage(spec, "give the model (--model FILE) and the nodes (--nodes FILE)");
        }
        for (Path file : new Path[] {model, nodes}) {
            if (!Files.isRegularFile(file)) {
                throw usage(spec, (file == model ? "--model" : "--nodes") + " file '" + file
                        + "' does not exist or is not a file");
            }
        }
        try {
            layerModel = ModelFile.read(model);
            cluster = NodesFile.read(nodes);
            return new Problem(layerModel, cluster, new Serving(batchTokens,
                    maxLatencyMs == null ? Double.POSITIVE_INFINITY : maxLatencyMs, contextTokens));
        } catch (IllegalArgumentException e) {
            throw usage(spec, e.getMessage());
        }
    }

    LayerAllocator allocator(CommandLine.Model.CommandSpec spec) {
        try {
            return Allocators.named(allocator);
        } catch (IllegalArgumentException e) {
            throw usage(spec, "--allocator: " + e.getMessage());
        }
    }

    Objective objective(CommandLine.Model.CommandSpec spec) {
        try {
            return Objective.named(objective);
        } catch (IllegalArgumentException e) {
            throw usage(spec, "--objective: " + e.getMessage());
        }
    }

    static CommandLine.ParameterException usage(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
