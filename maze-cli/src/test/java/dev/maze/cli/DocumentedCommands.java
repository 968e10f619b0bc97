package dev.maze.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code maze} commands the project's Markdown files show, found by the convention of maze-cli/README.md
 * ("Commands in the documentation"):
 * <ul>
 *   <li>a line of a {@code ```bash}/{@code ```sh}/{@code ```shell} block that starts with {@code bin/maze}, and inline
 *       code that starts with {@code bin/maze} and holds no placeholder, is a {@link Kind#COMMAND}: run as written
 *       from the repository root;</li>
 *   <li>inline code (or a line of another block) that starts with {@code maze}, or with {@code bin/maze} and holds a
 *       placeholder (a word in capitals such as {@code FILE}, {@code WORKLOAD.yaml}, {@code N}) or syntax
 *       ({@code [...]}, {@code a|b}, {@code ...}), is a {@link Kind#SYNOPSIS}: its command and options must exist;</li>
 *   <li>anything else that cannot be checked that way is a problem the docs must fix: a placeholder or shell syntax
 *       (pipes, variables, loops) in a command, {@code maze} instead of {@code bin/maze} in a shell block, a runnable
 *       {@code bin/maze} line in a block not marked as shell.</li>
 * </ul>
 */
final class DocumentedCommands {

    /** How a piece of documentation is checked. */
    enum Kind { COMMAND, SYNOPSIS }

    /** A command or synopsis, with where it is ({@code README.md:37}) and its text with whitespace collapsed. */
    record Found(String where, Kind kind, String text) {
        @Override
        public String toString() {
            return where + " " + text;
        }
    }

    /** What a scan found, and what it could not check (each naming file and line). */
    record Scan(List<Found> found, List<String> problems) {}

    private static final Set<String> SHELL_FENCES = Set.of("bash", "sh", "shell", "zsh");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*).*$");
    /** A word in capitals, not part of a longer word: FILE, T, WORKLOAD in workloads/WORKLOAD.yaml, CONFIG.yaml. */
    private static final Pattern PLACEHOLDER = Pattern.compile("(?<![A-Za-z0-9])[A-Z][A-Z0-9_]*(?![A-Za-z0-9])");
    private static final Pattern SYNTAX = Pattern.compile("[\\[\\]|…<>{}]|\\.\\.\\.");
    private static final Pattern SHELL_SYNTAX = Pattern.compile("[|<>$`(){}]");
    private static final Pattern INLINE_CODE = Pattern.compile("(?<!`)(`+)(?!`)(.+?)(?<!`)\\1(?!`)", Pattern.DOTALL);

    private DocumentedCommands() {}

    /** Every Markdown file under {@code root} (build outputs and {@code .git} left out), in path order. */
    static List<Path> markdownFiles(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(path -> path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".md"))
                    .filter(path -> {
                        for (Path part : root.relativize(path)) {
                            if (part.toString().equals("target") || part.toString().equals(".git")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scans every Markdown file under {@code root}. */
    static Scan scan(Path root) {
        List<Found> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : markdownFiles(root)) {
            try {
                Scan one = scan(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
                found.addAll(one.found());
                problems.addAll(one.problems());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Scan(found, problems);
    }

    /** Scans one Markdown text; {@code name} prefixes every location. */
    static Scan scan(String name, String markdown) {
        List<Found> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        StringBuilder prose = new StringBuilder(); // the text outside blocks, line for line (block lines left empty)
        String fence = null; // the opening fence while inside a block
        boolean shell = false;
        StringBuilder logical = new StringBuilder(); // a shell line continued with a backslash
        int logicalStart = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher opening = FENCE.matcher(line);
            if (fence == null && opening.matches()) {
                fence = opening.group(1);
                shell = SHELL_FENCES.contains(opening.group(2).toLowerCase(Locale.ROOT));
                prose.append('\n');
                continue;
            }
            if (fence != null) {
                prose.append('\n');
                String strippedLine = line.strip();
                if (strippedLine.startsWith(fence) && strippedLine.replace(fence.substring(0, 1), "").isEmpty()) {
                    fence = null;
                    continue;
                }
                String where = name + ":" + (i + 1);
                if (shell) {
                    if (logical.isEmpty()) {
                        logicalStart = i + 1;
                    }
                    String stripped = line.stripTrailing();
                    if (stripped.endsWith("\\") && !withoutComment(stripped).isEmpty()) {
                        logical.append(stripped, 0, stripped.length() - 1).append(' ');
                        continue;
                    }
                    logical.append(line);
                    shellLine(name + ":" + logicalStart, logical.toString(), found, problems);
                    logical.setLength(0);
                } else {
                    otherBlockLine(where, line, found, problems);
                }
                continue;
            }
            prose.append(line).append('\n');
        }
        inlineCode(name, prose.toString(), found, problems);
        return new Scan(found, problems);
    }

    private static void shellLine(String where, String line, List<Found> found, List<String> problems) {
        for (String segment : withoutComment(line).split(";|&&|\\|\\|")) {
            String command = collapse(segment);
            if (command.equals("bin/maze") || command.startsWith("bin/maze ")) {
                if (SHELL_SYNTAX.matcher(command).find()) {
                    problems.add(where + ": `" + command + "`: shell syntax (pipe, redirection, variable, substitution)"
                            + " in a bin/maze command; write the command out in full");
                } else if (isSynopsis(command)) {
                    problems.add(where + ": `" + command + "`: a placeholder or [optional] part in a shell block;"
                            + " a shell block holds commands as they run: put the syntax in inline code");
                } else {
                    found.add(new Found(where, Kind.COMMAND, command));
                }
            } else if (command.startsWith("maze ")) {
                problems.add(where + ": `" + command + "`: write bin/maze in a shell block (commands run from the"
                        + " repository root)");
            } else if (command.contains("bin/maze")) {
                problems.add(where + ": `" + command + "`: a bin/maze command inside other shell syntax (a loop, a"
                        + " substitution) cannot be checked; give it a line of its own");
            }
        }
    }

    private static void otherBlockLine(String where, String line, List<Found> found, List<String> problems) {
        String text = collapse(line);
        if (text.startsWith("bin/maze ") && !isSynopsis(text)) {
            problems.add(where + ": `" + text + "`: a runnable command in a block not marked as shell: open the"
                    + " block with ```bash so that it is run");
        } else if (text.startsWith("bin/maze ") || text.startsWith("maze ")) {
            found.add(new Found(where, Kind.SYNOPSIS, text));
        }
    }

    private static void inlineCode(String name, String prose, List<Found> found, List<String> problems) {
        Matcher code = INLINE_CODE.matcher(prose);
        while (code.find()) {
            if (code.group(2).contains("\n\n")) {
                continue; // a lone backtick: a code span does not cross paragraphs
            }
            String text = collapse(code.group(2));
            String where = name + ":" + (1 + prose.substring(0, code.start()).chars().filter(c -> c == '\n').count());
            if (text.startsWith("bin/maze ")) {
                if (isSynopsis(text)) {
                    found.add(new Found(where, Kind.SYNOPSIS, text));
                } else {
                    shellLine(where, text, found, problems);
                }
            } else if (text.startsWith("maze ")) {
                found.add(new Found(where, Kind.SYNOPSIS, text));
            }
        }
    }

    /** Whether the text describes a command's syntax (placeholders, optional parts) rather than being one. */
    static boolean isSynopsis(String text) {
        for (String token : text.split(" ")) {
            String value = token; // an option's name is never a placeholder (-V), its value may be (--out=DIR)
            if (token.startsWith("-")) {
                value = token.contains("=") ? token.substring(token.indexOf('=') + 1) : "";
            }
            if (PLACEHOLDER.matcher(value).find() || SYNTAX.matcher(token).find()) {
                return true;
            }
        }
        return false;
    }

    /** The line up to a {@code #} that starts a shell comment (at the start or after a blank, outside quotes). */
    static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i).strip();
            }
        }
        return line.strip();
    }

    private static String collapse(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
