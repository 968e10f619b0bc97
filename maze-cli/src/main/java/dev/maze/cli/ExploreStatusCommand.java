package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.explore.ExperimentDag;
import dev.maze.explore.ExperimentJournal;
import dev.maze.explore.run.DurationText;
import dev.maze.explore.run.ExploreConfig;
import dev.maze.explore.run.TreeReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code maze explore status CONFIG}: the tree so far, read from the files, while the exploration runs or after. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show an exploration's tree, best, experiments in flight and time left.",
                "It reads the journal and the files the running exploration rewrites, so it",
                "works from another terminal while the exploration runs, and after it stopped."},
        footer = {"", "Exit codes: 0 shown, 2 invalid input (or nothing explored yet)."})
final class ExploreStatusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The exploration's YAML/JSON file.")
    Path config;

    @picocli.CommandLine.Option(names = "--directory", paramLabel = "DIR",
            description = "The directory maze explore --directory kept it in.")
    Path directory;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExploreConfig settings = ExploreCommand.read(spec, config, directory);
        Path journal = settings.directory().resolve("journal.jsonl");
        if (!Files.exists(journal)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "nothing explored yet: no " + journal
                    + " (run maze explore " + config + ")");
        }
        ExperimentJournal.Contents contents;
        try {
            contents = ExperimentJournal.read(journal);
        } catch (dev.maze.explore.JournalException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ExperimentDag dag = contents.dag();
        PrintWriter out = spec.commandLine().getOut();
        out.println(settings.name() + ": " + TreeReport.summary(dag));
        Path tree = settings.directory().resolve("tree.json");
        if (Files.exists(tree)) {
            JsonNode live = JsonMapper.builder().build().readTree(tree.toFile());
            double used = live.path("usedSeconds").asDouble();
            JsonNode total = live.path("totalSeconds");
            out.println("in flight " + live.path("inFlight").asInt() + "; time used " + DurationText.format(used)
                    + (total.isNumber() ? " of " + DurationText.format(total.asDouble()) + ", "
                            + DurationText.format(Math.max(0, total.asDouble() - used)) + " left" : ""));
        }
        out.print(TreeReport.text(dag));
        out.flush();
        return 0;
    }
}
