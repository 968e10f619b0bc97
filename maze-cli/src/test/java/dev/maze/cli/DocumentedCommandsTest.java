package dev.maze.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.cli.DocumentedCommands.Found;
import dev.maze.cli.DocumentedCommands.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every {@code maze} command in every Markdown file of the project runs as written, and every synopsis names commands
 * and options that exist (the convention: maze-cli/README.md, "Commands in the documentation"). The commands run in
 * this JVM through the real command line ({@link DocumentedCommandCheck}), from the repository root.
 */
class DocumentedCommandsTest {

    static final Path ROOT = repositoryRoot();

    @TempDir
    Path temp;

    private final DocumentedCommandCheck check = new DocumentedCommandCheck(ROOT);

    @Test
    void theDocsFollowTheConventionAndShowCommands() {
        DocumentedCommands.Scan scan = DocumentedCommands.scan(ROOT);
        assertThat(scan.problems()).as("documentation the convention cannot check").isEmpty();
        assertThat(scan.found()).filteredOn(found -> found.kind() == Kind.COMMAND).extracting(Found::where)
                .as("commands are found in the READMEs")
                .anyMatch(where -> where.startsWith("README.md:"))
                .anyMatch(where -> where.startsWith("maze-cli/README.md:"))
                .anyMatch(where -> where.startsWith("maze-core/README.md:"))
                .anyMatch(where -> where.startsWith("maze-predict/README.md:"));
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedCommandRunsAsWritten() {
        Map<String, String> before = snapshot(ROOT);
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (Found found : DocumentedCommands.scan(ROOT).found()) {
            if (found.kind() != Kind.COMMAND) {
                continue;
            }
            int number = index++;
            tests.add(DynamicTest.dynamicTest(found.toString(), () -> {
                Path scratch = Files.createDirectories(temp.resolve("command-" + number));
                assertThat(check.run(found.where(), found.text(), scratch)).as(found.toString()).isNull();
            }));
        }
        tests.add(DynamicTest.dynamicTest("the commands wrote nothing into the repository", () -> {
            check.close();
            assertThat(snapshot(ROOT)).isEqualTo(before);
        }));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everySynopsisNamesCommandsAndOptionsThatExist() {
        return DocumentedCommands.scan(ROOT).found().stream()
                .filter(found -> found.kind() == Kind.SYNOPSIS)
                .map(found -> DynamicTest.dynamicTest(found.toString(),
                        () -> assertThat(check.synopsis(found.text())).as(found.toString()).isNull()));
    }

    /** maze-cli/README.md lists every command on its first line and documents each with all of its options. */
    @Test
    void theCliReadmeDocumentsEveryCommandWithItsOptions() throws IOException {
        String readme = Files.readString(ROOT.resolve("maze-cli/README.md"));
        String intro = Stream.of(readme.split("\n\n")).filter(paragraph -> !paragraph.startsWith("#")).findFirst()
                .orElseThrow();
        List<String> lines = List.of(readme.split("\n"));
        for (CommandSpec command : leaves(MazeCommand.commandLine().getCommandSpec())) {
            String path = command.qualifiedName().substring("maze ".length());
            assertThat(intro).as("the first paragraph of maze-cli/README.md lists `" + path + "`")
                    .contains("`" + path + "`");
            String section = section(lines, command.qualifiedName());
            assertThat(section).as("maze-cli/README.md has a heading `" + command.qualifiedName() + " ...`").isNotNull();
            for (OptionSpec option : command.options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                assertThat(Stream.of(option.names()).anyMatch(name -> mentions(section, name)))
                        .as("maze-cli/README.md documents " + option.longestName() + " in the section of "
                                + command.qualifiedName())
                        .isTrue();
            }
        }
    }

    // --- the checks can fail: each kind of mistake a README can make is reported, naming the cause ---

    @Test
    void aCommandWithAnUnknownOptionSubcommandPolicyOrFileIsReported() {
        assertThat(check.run("bin/maze validate examples/llm-chain.yaml --gpus 1", temp)).isNull();
        assertThat(check.run("bin/maze validate examples/llm-chain.yaml --gpu 1", temp))
                .startsWith("usage error: Unknown option: '--gpu'");
        assertThat(check.run("bin/maze simulat workloads/batch-40.yaml", temp)).startsWith("usage error:");
        assertThat(check.run("bin/maze simulate workloads/batch-40.yaml --policy daps,marz", temp))
                .startsWith("exit code 2").contains("marz");
        assertThat(check.run("bin/maze run examples/llm-chain.yaml --gpus 2 --policy fifo", temp))
                .startsWith("exit code 2").contains("fifo");
        assertThat(check.run("bin/maze predictor train --tool-type llm_process --data runs.csv", temp))
                .isEqualTo("--data runs.csv: no such file (paths are relative to the repository root)");
        assertThat(check.run("bin/maze run examples/*.yml", temp)).contains("examples/*.yml: matches no file");
        assertThat(check.run("bin/maze predictor generate --rows 10 --seed 42", temp))
                .startsWith("usage error: Missing required options");
    }

    @Test
    void aRunExitsOneOnlyForTheExampleThatFailsOnPurpose() throws IOException {
        assertThat(check.run("bin/maze run examples/failing-tool.yaml examples/llm-chain.yaml --gpus 1", temp)).isNull();
        Path broken = Files.createDirectories(ROOT.resolve("maze-cli/target/documented-commands-test"))
                .resolve("broken.yaml");
        Files.writeString(broken, "name: broken\ntasks:\n  - id: a\n    kind: process\n"
                + "    inputs: {command: [\"sh\", \"-c\", \"exit 4\"]}\n");
        assertThat(check.run("bin/maze run " + ROOT.relativize(broken) + " --json", temp))
                .startsWith("exit code 1: workflows that did not finish: [broken]");
    }

    @Test
    void whatACommandWritesGoesToTheTemporaryDirectory() {
        assertThat(check.run("bin/maze predictor generate --tool-type speech_process --rows 20 --out data/s.csv", temp))
                .isNull();
        assertThat(temp.resolve("data/s.csv")).isRegularFile();
        assertThat(ROOT.resolve("data")).doesNotExist();
        assertThat(check.run("bin/maze predictor train --tool-type speech_process --data workloads/data/speech_process.csv",
                temp)).as("without --model-dir, an empty one in the temporary directory").isNull();
        assertThat(temp.resolve("models/speech_process/dataset.csv")).isRegularFile();
    }

    @Test
    void aSynopsisWithAnUnknownCommandOrOptionOrWithoutARequiredOptionIsReported() {
        assertThat(check.synopsis("maze predictor predict|info --model-dir DIR")).isNull();
        assertThat(check.synopsis("maze predictor train|predikt")).contains("has no command 'predikt'");
        assertThat(check.synopsis("maze simulate WORKLOAD [--gpus N]")).contains("'maze simulate' has no option --gpus");
        assertThat(check.synopsis("bin/maze predictor generate --rows 2000 --seed 42"))
                .contains("requires --tool-type");
        assertThat(check.synopsis("maze predictor generate")).as("naming a command is not a synopsis of it").isNull();
        assertThat(check.synopsis("maze run FILE... [--policy NAME|--profile NAME] [-q|--quiet]")).isNull();
        assertThat(check.synopsis("maze COMMAND --help")).as("a placeholder stands for any command").isNull();
        assertThat(check.synopsis("maze fake-llm --help")).as("help needs no required option").isNull();
        assertThat(check.synopsis("maze fake-llm --port 0")).contains("'maze fake-llm' requires --models");
        assertThat(check.synopsis("bin/maze simulate WORKLOAD --policy daps,daps:w1=0,w2=1,mars [--set …]")).isNull();
        assertThat(check.synopsis("bin/maze simulate WORKLOAD --policy daps,marz")).contains("--policy: no 'marz'");
        assertThat(check.synopsis("maze run --policy fifo")).contains("'maze run' --policy: no 'fifo'");
        assertThat(check.synopsis("maze run FILE --profile=hacs-static")).contains("--profile: no 'hacs-static'");
        assertThat(check.synopsis("maze run FILE --policy=hacs-static")).isNull();
        assertThat(check.synopsis("maze COMMAND --json")).contains("'maze validate' has no option --json");
    }

    @Test
    void theConventionTellsCommandsSynopsesAndUncheckableDocsApart() {
        String markdown = """
                Run `bin/maze simulate workloads/batch-40.yaml --seeds 2`, or in general
                `bin/maze simulate WORKLOAD [--seeds K]`; `maze run` is the command.

                ```bash
                bin/maze demo          # a comment; bin/maze --version
                bin/maze --help; bin/maze run --help
                bin/maze simulate workloads/batch-40.yaml \\
                    --seeds 3
                ./mvnw -q verify
                bin/maze run FILE
                for t in a b; do bin/maze predictor info; done
                maze demo
                bin/maze predictor info | head
                ```

                ```
                maze simulate WORKLOAD --json
                bin/maze predictor bench
                ```
                """;
        DocumentedCommands.Scan scan = DocumentedCommands.scan("x.md", markdown);
        assertThat(scan.found()).extracting(Found::toString).containsExactly(
                "x.md:5 bin/maze demo",
                "x.md:6 bin/maze --help",
                "x.md:6 bin/maze run --help",
                "x.md:7 bin/maze simulate workloads/batch-40.yaml --seeds 3",
                "x.md:17 maze simulate WORKLOAD --json",
                "x.md:1 bin/maze simulate workloads/batch-40.yaml --seeds 2",
                "x.md:2 bin/maze simulate WORKLOAD [--seeds K]",
                "x.md:2 maze run");
        assertThat(scan.found()).extracting(Found::kind).containsExactly(Kind.COMMAND, Kind.COMMAND, Kind.COMMAND,
                Kind.COMMAND, Kind.SYNOPSIS, Kind.COMMAND, Kind.SYNOPSIS, Kind.SYNOPSIS);
        assertThat(scan.problems()).hasSize(5)
                .anySatisfy(problem -> assertThat(problem).startsWith("x.md:10: `bin/maze run FILE`: a placeholder"))
                .anySatisfy(problem -> assertThat(problem).startsWith("x.md:11: `do bin/maze predictor info`"))
                .anySatisfy(problem -> assertThat(problem).startsWith("x.md:12: `maze demo`: write bin/maze"))
                .anySatisfy(problem -> assertThat(problem).startsWith("x.md:13: `bin/maze predictor info | head`"))
                .anySatisfy(problem -> assertThat(problem).startsWith("x.md:18: `bin/maze predictor bench`: a runnable"));
    }

    private static List<CommandSpec> leaves(CommandSpec command) {
        List<CommandSpec> leaves = new ArrayList<>();
        for (CommandLine sub : command.subcommands().values()) {
            if (sub.getSubcommands().isEmpty()) {
                leaves.add(sub.getCommandSpec());
            } else {
                leaves.addAll(leaves(sub.getCommandSpec()));
            }
        }
        return leaves;
    }

    private static final Pattern HEADING = Pattern.compile("^(#+)\\s+`([^`]+)`.*$");

    /** The text under the heading whose code starts with the command (up to the next heading as high), or null. */
    private static String section(List<String> lines, String command) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher heading = HEADING.matcher(lines.get(i));
            if (heading.matches() && (heading.group(2).equals(command) || heading.group(2).startsWith(command + " "))) {
                int level = heading.group(1).length();
                StringBuilder section = new StringBuilder(lines.get(i)).append('\n');
                for (int j = i + 1; j < lines.size(); j++) {
                    Matcher next = Pattern.compile("^(#+)\\s").matcher(lines.get(j));
                    if (next.find() && next.group(1).length() <= level) {
                        break;
                    }
                    section.append(lines.get(j)).append('\n');
                }
                return section.toString();
            }
        }
        return null;
    }

    private static boolean mentions(String text, String option) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(option) + "(?![\\w-])").matcher(text).find();
    }

    /** Every file of the repository outside build outputs and .git, with its size and modification time. */
    private static Map<String, String> snapshot(Path root) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(file -> {
                Path relative = root.relativize(file);
                for (Path part : relative) {
                    if (part.toString().equals("target") || part.toString().equals(".git")) {
                        return;
                    }
                }
                try {
                    files.put(relative.toString(), Files.size(file) + " " + Files.getLastModifiedTime(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static Path repositoryRoot() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !(Files.isRegularFile(directory.resolve("bin/maze"))
                && Files.isDirectory(directory.resolve("maze-cli")))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("no repository root (bin/maze, maze-cli/) above " + Path.of("").toAbsolutePath());
        }
        return directory;
    }
}
