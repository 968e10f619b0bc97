package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where {@code maze server}'s options come from besides its command line: each option {@code --NAME} also comes from
 * the environment variable {@code MAZE_NAME} (upper case, {@code -} as {@code _}; a repeatable option takes a
 * comma-separated list) and from the {@code server:} section of the configuration file ({@code --config} or
 * {@code $MAZE_CONFIG}) as {@code NAME: value} (a list for a repeatable option). The command line wins over the
 * environment, which wins over the file. Each value is checked as the option itself checks it, and an error names
 * where the value came from; an unknown name in the file is an error listing the known ones.
 */
final class ServerSettings {

    /** Options that do not come from settings: the file itself, and the ones that only print. */
    private static final Set<String> OWN = Set.of("--config", "--help", "--version");

    private ServerSettings() {}

    /**
     * The arguments the environment and the file add to a command line that parsed as {@code spec}: each option the
     * command line did not give, once, from the first source that has it.
     *
     * @param environment the environment ({@code System::getenv})
     * @throws CommandLine.ParameterException (exit 2) for a value its option refuses, or an unknown name in the file
     */
    static List<String> arguments(CommandSpec spec, ConfigOption config, Function<String, String> environment) {
        ObjectNode file = config.section(spec, "server", "option: value");
        Map<String, OptionSpec> options = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (!OWN.contains(option.longestName())) {
                options.put(option.longestName().substring(2), option);
            }
        }
        Set<String> unknown = new TreeSet<>();
        file.fieldNames().forEachRemaining(name -> {
            if (!options.containsKey(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw ConfigOption.usage(spec, config.chosen(), "server: unknown option(s) " + unknown + "; known: "
                    + String.join(", ", options.keySet()));
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        List<String> arguments = new ArrayList<>();
        for (var entry : options.entrySet()) {
            OptionSpec option = entry.getValue();
            if (given.hasMatchedOption(option)) {
                continue;
            }
            String variable = variable(entry.getKey());
            String fromEnvironment = environment.apply(variable);
            List<String> values;
            String source;
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                values = option.isMultiValue() ? List.of(fromEnvironment.split(",")) : List.of(fromEnvironment);
                source = "$" + variable;
            } else if (file.has(entry.getKey())) {
                values = values(file.get(entry.getKey()), option, spec, config);
                source = "--config " + config.chosen() + ": server." + entry.getKey();
            } else {
                continue;
            }
            List<String> these = new ArrayList<>();
            for (String value : values) {
                if (option.arity().max() == 0) { // a flag: true or false
                    if (value.strip().equalsIgnoreCase("true")) {
                        these.add(option.longestName());
                    } else if (!value.strip().equalsIgnoreCase("false")) {
                        throw new CommandLine.ParameterException(spec.commandLine(), source + ": expected true or false, "
                                + "not '" + value + "'");
                    }
                } else {
                    these.add(option.longestName());
                    these.add(value.strip());
                }
            }
            check(spec, these, source);
            arguments.addAll(these);
        }
        return arguments;
    }

    /** The environment variable of option {@code --name}. */
    static String variable(String name) {
        return "MAZE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static List<String> values(JsonNode value, OptionSpec option, CommandSpec spec, ConfigOption config) {
        List<String> values = new ArrayList<>();
        if (value.isArray() && option.isMultiValue()) {
            value.forEach(item -> values.add(item.asText()));
        } else if (value.isValueNode() && !value.isNull()) {
            values.add(value.asText());
        } else {
            throw ConfigOption.usage(spec, config.chosen(), "server." + option.longestName().substring(2) + ": expected "
                    + (option.isMultiValue() ? "a value or a list of values" : "one value") + ", found "
                    + value.getNodeType());
        }
        return values;
    }

    /** Parses {@code arguments} alone as the command would, so that a bad value is reported with its source. */
    private static void check(CommandSpec spec, List<String> arguments, String source) {
        try {
            new CommandLine(new ServerCommand()).parseArgs(arguments.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), source + ": " + e.getMessage());
        }
    }

    /** The command line as given: each matched option with its values as typed. */
    static List<String> given(CommandSpec spec) {
        List<String> arguments = new ArrayList<>();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (option.arity().max() == 0) {
                arguments.add(option.longestName());
            } else {
                for (String value : option.originalStringValues()) {
                    arguments.add(option.longestName());
                    arguments.add(value);
                }
            }
        }
        return arguments;
    }
}
