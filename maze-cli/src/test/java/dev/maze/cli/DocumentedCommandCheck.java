package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Checks what {@link DocumentedCommands} found against the real command line, in this JVM: a command is parsed as
 * written, its files must exist, and it must run to completion; a synopsis must name commands and options that
 * exist. Each check returns what is wrong, for a user to fix, or null.
 *
 * <p>What a command may change when it runs here (maze-cli/README.md, "Commands in the documentation"): relative
 * paths are taken from the repository root, as {@code bin/maze} from there would; what it writes ({@link #OUTPUTS}) goes
 * to a temporary directory instead; without {@code --model-dir} (or {@code maze explore} without {@code --directory})
 * it gets an empty one there, and without
 * {@code --config} a configuration that runs {@code sim} tasks at 1/100 of their time; and the benchmarks and
 * multi-seed simulations are cut to the sizes in {@link #REDUCTIONS}. Everything else, options and values included,
 * runs as written.
 */
final class DocumentedCommandCheck {

    /** Options whose value the command writes (a file or directory): redirected into the temporary directory. */
    static final Set<String> OUTPUTS = Set.of("--out", "--export-workflows", "--model-dir", "--directory");

    /** Per command, options capped so that a benchmark or a many-seed simulation runs in about a second. */
    static final Map<String, Map<String, Integer>> REDUCTIONS = Map.of(
            "maze simulate", Map.of("--seeds", 2),
            "maze bench overhead", Map.of("--workflows", 200, "--repeat", 1),
            "maze predictor bench", Map.of("--rows", 200, "--batches", 2, "--batch-calls", 1000, "--warm-up-batches", 1),
            "maze bench serve", Map.of("--seeds", 1),
            "maze bench api", Map.of("--workflows", 200, "--warm-up", 200),
            "maze explore bench", Map.of("--seeds", 5));

    /**
     * Per command, flags added: {@code bench serve} simulates only (its real runs take minutes; ServeBenchmarkTest runs
     * them on a small workload).
     */
    static final Map<String, List<String>> FLAGS_ADDED = Map.of("maze bench serve", List.of("--simulated-only"));

    /** Scale of sim durations when a command does not name its own --config. */
    static final double SIM_TIME_SCALE = 0.01;

    /** The one example workflow that fails by design, so a `maze run` of it exits 1. */
    static final String FAILS_ON_PURPOSE = DemoCommand.FAILS_ON_PURPOSE;

    /** Commands that talk to a server: after a documented {@code maze server}, they are given its URL and data. */
    static final Set<String> CLIENTS = Set.of("maze submit", "maze status", "maze cancel", "maze logs");

    private static final Duration TIME_LIMIT = Duration.ofSeconds(90);
    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\S+\\s+(\\S+)\\s+(FINISHED|FAILED|CANCELLED)\\b");

    private final Path root;
    /** A documented {@code maze server}, serving the commands after it in its file until they end. */
    private Background server;

    /** A server started by a documented command: its file, its thread, where it listens and keeps its state. */
    private record Background(String file, Thread thread, CompletableFuture<InProcessMaze.Result> result, String url,
            Path dataDir) {}

    /** @param root the repository root, from which documented commands run */
    DocumentedCommandCheck(Path root) {
        this.root = root;
    }

    /**
     * Runs one documented command (text starting with {@code bin/maze}).
     *
     * @param temp an empty directory for what the command writes
     * @return what is wrong with the command, or null when it ran as documented
     */
    String run(String command, Path temp) {
        return run("", command, temp);
    }

    /**
     * As {@link #run(String, Path)}, for a command found at {@code where} ({@code FILE:LINE}): a {@code maze server}
     * runs in the background on a free port, and the client commands after it in the same file talk to it; it stops
     * at the first command of another file, or at {@link #close()}.
     */
    String run(String where, String command, Path temp) {
        String file = where.contains(":") ? where.substring(0, where.lastIndexOf(':')) : where;
        if (server != null && !server.file().equals(file)) {
            close();
        }
        List<String> args;
        try {
            args = expandGlobs(words(command));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (args.isEmpty() || !args.get(0).equals("bin/maze")) {
            return "not a bin/maze command";
        }
        args = new ArrayList<>(args.subList(1, args.size()));
        ParseResult parsed;
        try {
            parsed = configured(MazeCommand.commandLine()).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return "usage error: " + e.getMessage();
        }
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        String missing = missingFiles(leaf);
        if (missing != null) {
            return missing;
        }
        List<String> adjusted;
        try {
            adjusted = adjust(args, leaf, temp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = leaf.commandSpec().qualifiedName();
        if (name.equals("maze server")) {
            return startServer(file, adjusted, temp);
        }
        if (CLIENTS.contains(name)) {
            if (server == null) {
                return "a client of maze server with no documented bin/maze server before it in " + file;
            }
            for (String[] flag : new String[][] {{"--server", server.url()}, {"--data-dir", server.dataDir().toString()}}) {
                if (!leaf.hasMatchedOption(flag[0])) {
                    adjusted.addAll(List.of(flag));
                }
            }
        }
        InProcessMaze.Result result;
        try {
            result = withinTimeLimit(adjusted);
        } catch (TimeoutException e) {
            return "did not finish within " + TIME_LIMIT.toSeconds() + " s (ran as: maze " + String.join(" ", adjusted) + ")";
        }
        String ranAs = " (ran as: maze " + String.join(" ", adjusted) + ")\nstderr: " + tail(result.err())
                + "\nstdout: " + tail(result.out());
        return switch (result.exitCode()) {
            case 0 -> null;
            case 1 -> leaf.commandSpec().qualifiedName().equals("maze run") ? onlyTheDesignedFailure(result.out(), ranAs)
                    : "exit code 1: it failed" + ranAs;
            case MazeCommand.EXIT_INVALID -> "exit code 2: invalid input or usage" + ranAs;
            case MazeCommand.EXIT_UNEXPECTED -> "exit code 3: Maze failed unexpectedly" + ranAs;
            default -> "exit code " + result.exitCode() + ranAs;
        };
    }

    /**
     * Checks a synopsis: every command it names exists ({@code a|b} alternatives each), every option it names is one
     * of that command's, and when it shows any argument, it shows every required option.
     *
     * @return what is wrong, or null
     */
    String synopsis(String text) {
        List<String> tokens = new ArrayList<>(List.of(text.strip().split("\\s+")));
        tokens.remove(0); // maze or bin/maze
        List<CommandSpec> commands = List.of(MazeCommand.commandLine().getCommandSpec());
        boolean inPath = true;
        boolean arguments = false;
        Set<String> named = new TreeSet<>();
        String awaitingValue = null; // the option the next token is the value of
        for (String token : tokens) {
            String clean = token.replaceAll("^[\\[({]+", "").replaceAll("(\\.\\.\\.|…|[\\])},])+$", "");
            if (clean.isEmpty()) {
                continue;
            }
            CommandSpec first = commands.get(0);
            // A command with positional parameters as well (maze explore CONFIG | maze explore bench) descends only
            // into a subcommand named exactly; any other word is its argument.
            if (inPath && !clean.startsWith("-") && !first.subcommands().isEmpty()
                    && (first.positionalParameters().isEmpty()
                            || commands.stream().allMatch(command -> command.subcommands().containsKey(clean)))) {
                List<CommandSpec> next = new ArrayList<>();
                if (clean.matches("[A-Z][A-Z0-9_]*")) { // COMMAND: any of them, so what follows must hold for each
                    for (CommandSpec command : commands) {
                        command.subcommands().values().forEach(sub -> next.add(sub.getCommandSpec()));
                    }
                    commands = next;
                    continue;
                }
                for (String name : clean.split("\\|")) {
                    for (CommandSpec command : commands) {
                        CommandLine sub = command.subcommands().get(name);
                        if (sub == null) {
                            return "'" + command.qualifiedName() + "' has no command '" + name + "' (it has: "
                                    + String.join(", ", command.subcommands().keySet()) + ")";
                        }
                        next.add(sub.getCommandSpec());
                    }
                }
                commands = next;
                continue;
            }
            inPath = false;
            arguments = true;
            if (awaitingValue != null && !clean.startsWith("-")) {
                String unknown = unknownValue(commands, awaitingValue, clean);
                if (unknown != null) {
                    return unknown;
                }
            }
            awaitingValue = null;
            for (String alternative : clean.split("\\|")) {
                if (!alternative.startsWith("-")) {
                    continue; // a value or a positional parameter
                }
                String option = alternative.contains("=") ? alternative.substring(0, alternative.indexOf('=')) : alternative;
                for (CommandSpec command : commands) {
                    if (!command.optionsMap().containsKey(option)) {
                        return "'" + command.qualifiedName() + "' has no option " + option + " (it has: "
                                + String.join(", ", new TreeSet<>(command.optionsMap().keySet())) + ")";
                    }
                }
                named.add(option);
                if (alternative.contains("=")) {
                    String unknown = unknownValue(commands, option, alternative.substring(alternative.indexOf('=') + 1));
                    if (unknown != null) {
                        return unknown;
                    }
                } else if (commands.get(0).optionsMap().get(option).arity().max() > 0) {
                    awaitingValue = option;
                }
            }
        }
        // A help or version option asks for no required option (picocli does not demand them with it either).
        boolean asksForHelp = commands.stream().anyMatch(command -> named.stream().map(command.optionsMap()::get)
                .anyMatch(option -> option != null && (option.usageHelp() || option.versionHelp())));
        if (arguments && !asksForHelp) {
            for (CommandSpec command : commands) {
                for (OptionSpec option : command.options()) {
                    if (option.required() && named.stream().noneMatch(List.of(option.names())::contains)) {
                        return "'" + command.qualifiedName() + "' requires " + option.longestName()
                                + ", which the synopsis leaves out";
                    }
                }
            }
        }
        return null;
    }

    /**
     * A concrete value of an option with a known set of names (picocli's completion candidates: policies, profiles,
     * tool types) that is not one of them; {@code NAME:key=value,...} specs are checked by their names. Values with a
     * placeholder are not checked.
     */
    private static String unknownValue(List<CommandSpec> commands, String optionName, String value) {
        for (String alternative : value.split("\\|")) {
            if (alternative.isEmpty() || alternative.startsWith("-") || DocumentedCommands.isSynopsis(alternative)) {
                continue;
            }
            for (CommandSpec command : commands) {
                OptionSpec option = command.optionsMap().get(optionName);
                if (option.completionCandidates() == null) {
                    continue;
                }
                Set<String> known = new TreeSet<>();
                option.completionCandidates().forEach(known::add);
                for (String part : alternative.split(",")) {
                    if (part.contains("=") && !part.contains(":")) {
                        continue; // key=value continues the spec before it
                    }
                    String name = part.contains(":") ? part.substring(0, part.indexOf(':')) : part;
                    if (!known.contains(name) && !name.equals(option.defaultValue())) {
                        return "'" + command.qualifiedName() + "' " + optionName + ": no '" + name + "' (known: "
                                + String.join(", ", known) + ")";
                    }
                }
            }
        }
        return null;
    }

    /** Shell words: blanks separate, single and double quotes group. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced quote in `" + command + "`");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Expands {@code *} and {@code ?} in a word's last part against the repository, sorted as a shell sorts them. */
    private List<String> expandGlobs(List<String> words) {
        List<String> expanded = new ArrayList<>();
        for (String word : words) {
            if (!word.contains("*") && !word.contains("?")) {
                expanded.add(word);
                continue;
            }
            int slash = word.lastIndexOf('/');
            String folder = slash < 0 ? "" : word.substring(0, slash + 1);
            if (folder.contains("*") || folder.contains("?")) {
                throw new IllegalArgumentException(word + ": only the last part of a path may hold * or ?");
            }
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + word.substring(slash + 1));
            List<String> matches = new ArrayList<>();
            Path directory = root.resolve(folder.isEmpty() ? "." : folder);
            if (Files.isDirectory(directory)) {
                try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
                    for (Path path : listing) {
                        if (matcher.matches(path.getFileName())) {
                            matches.add(folder + path.getFileName());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (matches.isEmpty()) {
                throw new IllegalArgumentException(word + ": matches no file (paths are relative to the repository root)");
            }
            matches.sort(null);
            expanded.addAll(matches);
        }
        return expanded;
    }

    /** Relative paths are the repository's, as for bin/maze run from there. */
    private CommandLine configured(CommandLine commandLine) {
        commandLine.registerConverter(Path.class, value -> root.resolve(value));
        return commandLine;
    }

    /** The files a command reads, by the path options and parameters it was given, that do not exist. */
    private String missingFiles(ParseResult leaf) {
        List<ArgSpec> given = new ArrayList<>(leaf.matchedOptions());
        given.addAll(leaf.matchedPositionals());
        for (ArgSpec arg : given) {
            boolean isPath = arg.type() == Path.class || List.of(arg.auxiliaryTypes()).contains(Path.class);
            if (!isPath || (arg instanceof OptionSpec option && !outputNames(option).isEmpty())) {
                continue;
            }
            for (String value : arg.originalStringValues()) {
                if (!Files.exists(root.resolve(value))) {
                    return (arg instanceof OptionSpec option ? option.longestName() + " " : "") + value
                            + ": no such file (paths are relative to the repository root)";
                }
            }
        }
        return null;
    }

    /** The arguments as they run here: outputs redirected, model directory and sim speed supplied, sizes cut. */
    private List<String> adjust(List<String> args, ParseResult leaf, Path temp) throws IOException {
        List<String> adjusted = new ArrayList<>(args);
        CommandSpec command = leaf.commandSpec();
        for (OptionSpec option : leaf.matchedOptions()) {
            if (!outputNames(option).isEmpty()) {
                replaceValues(adjusted, option, value -> {
                    Path path = Path.of(value);
                    return temp.resolve(path.isAbsolute() ? path.getRoot().relativize(path) : path).toString();
                });
            }
        }
        if (command.optionsMap().containsKey("--model-dir") && !leaf.hasMatchedOption("--model-dir")) {
            adjusted.addAll(List.of("--model-dir", temp.resolve("models").toString()));
        }
        if (command.qualifiedName().equals("maze explore") && !leaf.hasMatchedOption("--directory")) {
            adjusted.addAll(List.of("--directory", temp.resolve("explore").toString()));
        }
        if (command.optionsMap().containsKey("--config") && !leaf.hasMatchedOption("--config")) {
            Path config = temp.resolve("fast-sim.yaml");
            Files.writeString(config, "executors:\n  sim: {timeScale: " + SIM_TIME_SCALE + "}\n");
            adjusted.addAll(List.of("--config", config.toString()));
        }
        for (Map.Entry<String, Integer> cap : REDUCTIONS.getOrDefault(command.qualifiedName(), Map.of()).entrySet()) {
            OptionSpec option = command.optionsMap().get(cap.getKey());
            if (option == null) {
                throw new IllegalStateException(command.qualifiedName() + " has no option " + cap.getKey()
                        + " any more: update DocumentedCommandCheck.REDUCTIONS");
            }
            if (leaf.hasMatchedOption(cap.getKey())) {
                replaceValues(adjusted, option, value -> String.valueOf(Math.min(Integer.parseInt(value), cap.getValue())));
            } else {
                adjusted.addAll(List.of(cap.getKey(), String.valueOf(cap.getValue())));
            }
        }
        for (String flag : FLAGS_ADDED.getOrDefault(command.qualifiedName(), List.of())) {
            if (!leaf.hasMatchedOption(flag)) {
                adjusted.add(flag);
            }
        }
        return adjusted;
    }

    private static Set<String> outputNames(OptionSpec option) {
        Set<String> names = new TreeSet<>(List.of(option.names()));
        names.retainAll(OUTPUTS);
        return names;
    }

    /** Replaces the value of every occurrence of an option ({@code --name value} or {@code --name=value}). */
    private static void replaceValues(List<String> args, OptionSpec option, UnaryOperator<String> change) {
        Set<String> names = Set.of(option.names());
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            if (equals > 0 && names.contains(arg.substring(0, equals))) {
                args.set(i, arg.substring(0, equals + 1) + change.apply(arg.substring(equals + 1)));
            } else if (names.contains(arg) && i + 1 < args.size()) {
                args.set(i + 1, change.apply(args.get(i + 1)));
                i++;
            }
        }
    }

    /** Starts {@code maze server} on a free port with its state in {@code temp}; null once it answers /healthz. */
    private String startServer(String file, List<String> args, Path temp) {
        close();
        List<String> adjusted = new ArrayList<>(args);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        adjusted.removeIf(arg -> arg.startsWith("--port="));
        int at = adjusted.indexOf("--port");
        if (at >= 0) {
            adjusted.subList(at, Math.min(at + 2, adjusted.size())).clear();
        }
        adjusted.addAll(List.of("--port", String.valueOf(port)));
        Path dataDir = temp.resolve("server");
        if (!adjusted.contains("--data-dir")) {
            adjusted.addAll(List.of("--data-dir", dataDir.toString()));
        }
        CompletableFuture<InProcessMaze.Result> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(InProcessMaze.maze(this::configured, adjusted.toArray(String[]::new)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "documented-server");
        thread.setDaemon(true);
        thread.start();
        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try {
            while (System.nanoTime() < deadline && !result.isDone()) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(url + "/healthz")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        server = new Background(file, thread, result, url, dataDir);
                        return null;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        InProcessMaze.Result ended = result.getNow(null);
        return "the server did not start (ran as: maze " + String.join(" ", adjusted) + ")"
                + (ended == null ? "" : ", exit code " + ended.exitCode() + "\nstderr: " + tail(ended.err()));
    }

    /** Stops the documented server, if one runs; the commands after it have run. */
    void close() {
        if (server == null) {
            return;
        }
        Background stopping = server;
        server = null;
        stopping.thread().interrupt();
        try {
            stopping.result().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the documented maze server did not stop", e);
        }
    }

    private InProcessMaze.Result withinTimeLimit(List<String> args) throws TimeoutException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("maze.home", root.toString()); // demo's examples/ are the repository's, as bin/maze sets it
        properties.put("maze.tty", "false");
        Map<String, String> saved = new LinkedHashMap<>();
        properties.forEach((key, value) -> saved.put(key, System.setProperty(key, value)));
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "documented-command");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<InProcessMaze.Result> run = executor.submit(
                    () -> InProcessMaze.maze(this::configured, args.toArray(String[]::new)));
            return run.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("maze " + String.join(" ", args) + " threw", e.getCause());
        } finally {
            executor.shutdownNow();
            saved.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
    }

    /** A run exits 1 when a workflow fails; that is as documented only when the one that failed is the example that fails on purpose. */
    private static String onlyTheDesignedFailure(String out, String ranAs) {
        List<String> notFinished = new ArrayList<>();
        if (out.strip().startsWith("{")) {
            try {
                for (JsonNode workflow : JsonMapper.builder().build().readTree(out).path("workflows")) {
                    if (!workflow.path("status").asText().equals("FINISHED")) {
                        notFinished.add(workflow.path("name").asText());
                    }
                }
            } catch (IOException e) {
                return "exit code 1 and stdout is not the JSON summary" + ranAs;
            }
        } else {
            Matcher row = TABLE_ROW.matcher(out);
            while (row.find()) {
                if (!row.group(2).equals("FINISHED")) {
                    notFinished.add(row.group(1));
                }
            }
        }
        if (!notFinished.isEmpty() && notFinished.stream().allMatch(FAILS_ON_PURPOSE::equals)) {
            return null;
        }
        return "exit code 1: workflows that did not finish: " + notFinished + " (only '" + FAILS_ON_PURPOSE
                + "' fails by design)" + ranAs;
    }

    private static String tail(String text) {
        String stripped = text.strip();
        return stripped.length() <= 1500 ? stripped : "…" + stripped.substring(stripped.length() - 1500);
    }
}
