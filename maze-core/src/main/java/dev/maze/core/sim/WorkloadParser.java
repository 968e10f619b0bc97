package dev.maze.core.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.workflow.DocumentReader;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a simulated workload from a YAML or JSON file (format: docs/workload-format.md): the cluster, the models
 * and their load costs, reusable task classes, the workflow types with their DAGs and weights, and the arrival
 * process. Every workflow type becomes a {@link dev.maze.core.workflow.WorkflowSpec} of {@code sim} tasks and is
 * validated against the cluster, so a broken type is reported when the file is loaded, not mid-simulation.
 *
 * <p>Overrides ({@code --set key=value}) are applied to the document before it is read, so an overridden value is
 * checked like one in the file: a dotted path ({@code models.qwen3-32b.loadSeconds=45}, {@code arrivals.scale=1.5},
 * {@code types.gaia_file.weight=0}, {@code seed=7}) or a shortcut: {@value #LOAD_SECONDS} sets {@code loadSeconds}
 * of every model that states one, {@value #ARRIVAL_SCALE} is {@code arrivals.scale}. A path that does not exist is
 * an error naming the keys that do.
 *
 * <p>A file may start from another: {@code extends: base.yaml} (relative to the file) takes the base's document and
 * replaces its top-level keys with this file's, so a variant states only what differs (its arrivals, say).
 *
 * <p>All problems (syntax, unknown fields, bad values, unknown classes or models, cycles, tasks no node can run,
 * bad overrides) are collected and thrown together as one {@link ValidationException}, each naming the file and
 * the field.
 */
public final class WorkloadParser {

    /** Shortcut override: the load cost in seconds of every model that states {@code loadSeconds}. */
    public static final String LOAD_SECONDS = WorkloadOverrides.LOAD_SECONDS;
    /** Shortcut override: {@code arrivals.scale}, the arrival intensity multiplier. */
    public static final String ARRIVAL_SCALE = WorkloadOverrides.ARRIVAL_SCALE;

    // A repeated key would otherwise silently replace the first: refuse it, as workflow files do.

    /** Top-level key naming a base workload file whose top-level keys this file replaces. */
    static final String EXTENDS = "extends";

    private WorkloadParser() {}

    /**
     * Reads a workload file; the format follows the extension ({@code .yaml}/{@code .yml} = YAML, else JSON).
     *
     * @param overrides {@code key=value} pairs applied in iteration order before reading; may be empty or null
     */
    public static WorkloadDefinition parseFile(Path file, Map<String, String> overrides) throws ValidationException {
        return parse(DocumentReader.readFile(file), DocumentReader.formatOf(file), file.toString(), overrides);
    }

    /**
     * Reads a workload from text.
     *
     * @param source names the origin in error messages; may be null
     * @param overrides {@code key=value} pairs applied in iteration order before reading; may be empty or null
     */
    public static WorkloadDefinition parse(String text, Format format, String source, Map<String, String> overrides)
            throws ValidationException {
        JsonNode root = document(text, format, source);
        if (root instanceof ObjectNode object && object.has(EXTENDS)) {
            List<Path> seen = new ArrayList<>();
            if (source != null) {
                seen.add(Path.of(source).toAbsolutePath().normalize());
            }
            root = extend(object, source, seen);
            source = source + " (extending " + baseChain(object, source) + ")";
        }
        List<ValidationError> errors = new ArrayList<>();
        if (overrides != null && !overrides.isEmpty() && root instanceof ObjectNode object) {
            errors.addAll(WorkloadOverrides.apply(object, overrides, source));
        }
        WorkloadReader reader = new WorkloadReader(source);
        WorkloadDefinition workload = reader.read(root);
        errors.addAll(reader.errors());
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return workload;
    }

    /**
     * The document {@code child} extends: its base file's document (itself possibly extending another) with the
     * child's top-level keys replacing the base's. A base path is relative to the child's file.
     */
    private static ObjectNode extend(ObjectNode child, String source, List<Path> seen) throws ValidationException {
        JsonNode reference = child.get(EXTENDS);
        if (!reference.isTextual() || reference.asText().isBlank()) {
            throw new ValidationException(List.of(new ValidationError(source, null, null, EXTENDS,
                    "expected the path of a base workload file, found " + WorkloadReader.describe(reference))));
        }
        Path base = basePath(source, reference.asText());
        if (seen.contains(base.toAbsolutePath().normalize())) {
            throw new ValidationException(List.of(new ValidationError(source, null, null, EXTENDS,
                    "extends " + base + ", which extends this file again; break the loop")));
        }
        seen.add(base.toAbsolutePath().normalize());
        if (!Files.isRegularFile(base)) {
            throw new ValidationException(List.of(new ValidationError(source, null, null, EXTENDS,
                    "cannot read base workload " + base + " (no such file); the path is relative to this file")));
        }
        String text = DocumentReader.readFile(base); // the same size and encoding checks as any workload file
        JsonNode parent = document(text, DocumentReader.formatOf(base), base.toString());
        if (!(parent instanceof ObjectNode parentObject)) {
            throw DocumentReader.problem(base.toString(), "expected a workload object, found " + WorkloadReader.describe(parent));
        }
        if (parentObject.has(EXTENDS)) {
            parentObject = extend(parentObject, base.toString(), seen);
        }
        ObjectNode merged = parentObject.deepCopy();
        child.fields().forEachRemaining(entry -> merged.set(entry.getKey(), entry.getValue()));
        merged.remove(EXTENDS);
        return merged;
    }

    private static String baseChain(ObjectNode child, String source) {
        return basePath(source, child.get(EXTENDS).asText()).toString();
    }

    private static Path basePath(String source, String reference) {
        Path base = Path.of(reference);
        return source == null || base.isAbsolute() ? base : Path.of(source).resolveSibling(base).normalize();
    }

    private static JsonNode document(String text, Format format, String source) throws ValidationException {
        return DocumentReader.read(text, format, source, "more content after the workload; a file holds one workload",
                "expected a workload with name, cluster, models, types and arrivals");
    }
}
