package dev.maze.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.DocumentReader;
import dev.maze.core.workflow.Suggestions;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.predict.ToolType.Aggregate;
import dev.maze.predict.ToolType.FeatureSource;
import dev.maze.predict.ToolType.FeatureSource.Kind;
import dev.maze.predict.features.AudioFeatures;
import dev.maze.predict.features.ImageFeatures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The tool types a predictor knows and the mapping from task names to them. Maze's four are built in; a
 * configuration file (YAML or JSON) adds tool types, redefines built-in ones and maps names:
 *
 * <pre>{@code
 * toolTypes:
 *   ocr_page:
 *     features: [image_area, text_block_count, batch_size]
 *     sources: [{kind: image, input: page}]
 *     defaults: {batch_size: 1}
 *     aggregate: {image_area: max}
 * mapping:
 *   - {match: "summarize_*", toolType: llm_process}   # exact name, or a glob with * and ?
 *   - {regex: "^(vlm|vision)_", toolType: vlm_process}
 * }</pre>
 *
 * <p>A task's tool type: its {@code toolType} field when that names a known tool type; otherwise the first mapping
 * rule (in file order) that matches its {@code toolType} field or, failing that, its id; otherwise an unmapped
 * task's {@code toolType} names a tool type without features, whose prediction is the running average of its
 * observed times (and the per-resource heuristic before the first one).
 */
public final class ToolTypes {

    private static final List<String> IMAGE = ImageFeatures.NAMES;
    private static final List<String> AUDIO = AudioFeatures.NAMES;
    private static final Set<String> TYPE_FIELDS = Set.of("features", "sources", "defaults", "aggregate");
    private static final Set<String> SOURCE_FIELDS = Set.of("kind", "input", "length", "tokens");
    private static final Set<String> RULE_FIELDS = Set.of("match", "regex", "toolType");

    private final Map<String, ToolType> types;
    private final List<Rule> mapping;
    private final Map<String, ToolType> resolved = new ConcurrentHashMap<>();

    private ToolTypes(Map<String, ToolType> types, List<Rule> mapping) {
        this.types = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(types)); // keeps the built-in order
        this.mapping = List.copyOf(mapping);
    }

    /** One mapping rule: names it matches go to {@code toolType}. */
    private record Rule(String describe, Pattern pattern, String toolType) {
        boolean matches(String name) {
            return name != null && pattern.matcher(name).matches();
        }
    }

    /** Maze's tool types with their feature sets, no mapping. */
    public static ToolTypes builtIn() {
        return new ToolTypes(builtInTypes(), List.of());
    }

    private static Map<String, ToolType> builtInTypes() {
        Map<String, ToolType> types = new LinkedHashMap<>();
        types.put("llm_process", new ToolType("llm_process", List.of("text_length", "token_count", "batch_size", "reason"),
                List.of(text("text", "text_length", "token_count")),
                Map.of("batch_size", 1.0, "reason", 0.0), Map.of("batch_size", Aggregate.MAX, "reason", Aggregate.MAX)));
        List<String> vlm = new ArrayList<>(List.of("image_height", "image_width", "image_area", "image_aspect_ratio",
                "batch_size", "image_entropy", "edge_density", "text_area_ratio", "text_block_count", "avg_brightness",
                "brightness_variance", "prompt_length", "prompt_token_count"));
        Map<String, Aggregate> imageMax = new HashMap<>();
        for (String feature : IMAGE) {
            imageMax.put(feature, Aggregate.MAX);
        }
        imageMax.put("batch_size", Aggregate.MAX);
        types.put("vlm_process", new ToolType("vlm_process", vlm,
                List.of(new FeatureSource(Kind.IMAGE, "image", null, null), text("prompt", "prompt_length", "prompt_token_count")),
                Map.of("batch_size", 1.0), imageMax));
        types.put("llm_fuse2In1", new ToolType("llm_fuse2In1", List.of("prompt_length", "prompt_token_count",
                "text1_length", "text2_length", "text1_token_count", "text2_token_count", "reason"),
                List.of(text("prompt", "prompt_length", "prompt_token_count"), text("text1", "text1_length", "text1_token_count"),
                        text("text2", "text2_length", "text2_token_count")),
                Map.of("reason", 0.0), Map.of("reason", Aggregate.MAX)));
        types.put("speech_process", new ToolType("speech_process", AUDIO,
                List.of(new FeatureSource(Kind.AUDIO, "audio", null, null)),
                Map.of(), Map.of("audio_entropy", Aggregate.MEAN, "audio_energy", Aggregate.MEAN)));
        return types;
    }

    private static FeatureSource text(String input, String length, String tokens) {
        return new FeatureSource(Kind.TEXT, input, length, tokens);
    }

    /**
     * The built-in tool types with {@code file}'s added or redefined and its mapping.
     *
     * @throws ValidationException naming the file and, for each problem, the tool type or rule and the field
     */
    public static ToolTypes load(Path file) throws ValidationException {
        String source = file.toString();
        JsonNode root = DocumentReader.read(DocumentReader.readFile(file), DocumentReader.formatOf(file), source,
                "put everything in one document", "expected 'toolTypes' and/or 'mapping'");
        List<String> problems = new ArrayList<>();
        Map<String, ToolType> types = builtInTypes();
        List<Rule> mapping = new ArrayList<>();
        if (!root.isObject()) {
            problems.add("expected an object with 'toolTypes' and/or 'mapping'");
        } else {
            unknownFields(root, Set.of("toolTypes", "mapping"), "", problems);
            JsonNode declared = root.path("toolTypes");
            if (!declared.isMissingNode() && !declared.isObject()) {
                problems.add("'toolTypes' must be an object of tool type name -> definition");
            }
            for (Map.Entry<String, JsonNode> entry : declared.properties()) {
                ToolType type = toolType(entry.getKey(), entry.getValue(), problems);
                if (type != null) {
                    types.put(type.name(), type);
                }
            }
            JsonNode rules = root.path("mapping");
            if (!rules.isMissingNode() && !rules.isArray()) {
                problems.add("'mapping' must be a list of {match: NAME-OR-GLOB | regex: REGEX, toolType: NAME}");
            }
            for (int i = 0; i < rules.size(); i++) {
                Rule rule = rule(i, rules.get(i), types.keySet(), problems);
                if (rule != null) {
                    mapping.add(rule);
                }
            }
        }
        if (!problems.isEmpty()) {
            List<dev.maze.core.workflow.ValidationError> errors = new ArrayList<>();
            for (String problem : problems) {
                errors.add(new dev.maze.core.workflow.ValidationError(source, null, null, null, problem));
            }
            throw new ValidationException(errors);
        }
        return new ToolTypes(types, mapping);
    }

    private static ToolType toolType(String name, JsonNode node, List<String> problems) {
        String where = "tool type '" + name + "'";
        if (!node.isObject()) {
            problems.add(where + ": expected an object with 'features' (and optionally sources, defaults, aggregate)");
            return null;
        }
        int before = problems.size();
        unknownFields(node, TYPE_FIELDS, where + ": ", problems);
        List<String> features = new ArrayList<>();
        JsonNode list = node.path("features");
        if (!list.isArray() || list.isEmpty()) {
            problems.add(where + ", field 'features': expected a non-empty list of feature names");
        } else {
            for (JsonNode feature : list) {
                if (!feature.isTextual() || feature.asText().isBlank()) {
                    problems.add(where + ", field 'features': expected names, found " + feature);
                } else if (features.contains(feature.asText())) {
                    problems.add(where + ", field 'features': '" + feature.asText() + "' is listed twice");
                } else {
                    features.add(feature.asText());
                }
            }
        }
        List<FeatureSource> sources = new ArrayList<>();
        JsonNode sourceList = node.path("sources");
        if (!sourceList.isMissingNode() && !sourceList.isArray()) {
            problems.add(where + ", field 'sources': expected a list of {kind: text|image|audio, input: FIELD, ...}");
        }
        for (int i = 0; i < sourceList.size(); i++) {
            FeatureSource source = source(where + ", sources[" + i + "]", sourceList.get(i), problems);
            if (source != null) {
                sources.add(source);
            }
        }
        Map<String, Double> defaults = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.path("defaults").properties()) {
            String field = where + ", field 'defaults." + entry.getKey() + "'";
            if (!features.contains(entry.getKey())) {
                problems.add(field + ": not one of its features" + Suggestions.didYouMean(entry.getKey(), features));
            } else if (!entry.getValue().isNumber()) {
                problems.add(field + ": expected a number, found " + entry.getValue());
            } else {
                defaults.put(entry.getKey(), entry.getValue().asDouble());
            }
        }
        Map<String, Aggregate> aggregates = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.path("aggregate").properties()) {
            String field = where + ", field 'aggregate." + entry.getKey() + "'";
            Aggregate aggregate = enumValue(Aggregate.class, entry.getValue().asText());
            if (!features.contains(entry.getKey())) {
                problems.add(field + ": not one of its features" + Suggestions.didYouMean(entry.getKey(), features));
            } else if (aggregate == null) {
                problems.add(field + ": expected sum, max, mean or last, found " + entry.getValue());
            } else {
                aggregates.put(entry.getKey(), aggregate);
            }
        }
        return problems.size() > before ? null : new ToolType(name, features, sources, defaults, aggregates);
    }

    private static FeatureSource source(String where, JsonNode node, List<String> problems) {
        if (!node.isObject()) {
            problems.add(where + ": expected {kind: text|image|audio, input: FIELD}");
            return null;
        }
        unknownFields(node, SOURCE_FIELDS, where + ": ", problems);
        Kind kind = enumValue(Kind.class, node.path("kind").asText());
        String input = node.path("input").asText("");
        if (kind == null) {
            problems.add(where + ", field 'kind': expected text, image or audio, found " + node.path("kind"));
            return null;
        }
        if (input.isBlank()) {
            problems.add(where + ", field 'input': name the task input that holds the " + kind.name().toLowerCase(Locale.ROOT)
                    + (kind == Kind.TEXT ? "" : " file's path"));
            return null;
        }
        String length = node.hasNonNull("length") ? node.get("length").asText() : null;
        String tokens = node.hasNonNull("tokens") ? node.get("tokens").asText() : null;
        if (kind == Kind.TEXT && length == null && tokens == null) {
            problems.add(where + ": a text source needs 'length' and/or 'tokens': the features that receive them");
            return null;
        }
        if (kind != Kind.TEXT && (length != null || tokens != null)) {
            problems.add(where + ": 'length' and 'tokens' are for text sources; an " + kind.name().toLowerCase(Locale.ROOT)
                    + " source gives " + String.join(", ", kind == Kind.IMAGE ? IMAGE : AUDIO));
            return null;
        }
        return new FeatureSource(kind, input, length, tokens);
    }

    private static Rule rule(int index, JsonNode node, Collection<String> known, List<String> problems) {
        String where = "mapping[" + index + "]";
        if (!node.isObject()) {
            problems.add(where + ": expected {match: NAME-OR-GLOB | regex: REGEX, toolType: NAME}");
            return null;
        }
        unknownFields(node, RULE_FIELDS, where + ": ", problems);
        String toolType = node.path("toolType").asText("");
        if (!known.contains(toolType)) {
            problems.add(where + ", field 'toolType': " + (toolType.isEmpty() ? "missing" : "unknown tool type '" + toolType + "'"
                    + Suggestions.didYouMean(toolType, known)) + "; known: " + String.join(", ", known));
            return null;
        }
        if (node.has("match") == node.has("regex")) {
            problems.add(where + ": give exactly one of 'match' (a name, or a glob with * and ?) and 'regex'");
            return null;
        }
        if (node.has("match")) {
            String glob = node.get("match").asText();
            return new Rule("match '" + glob + "'", Pattern.compile(globToRegex(glob)), toolType);
        }
        String regex = node.get("regex").asText();
        try {
            return new Rule("regex '" + regex + "'", Pattern.compile(regex), toolType);
        } catch (PatternSyntaxException e) {
            problems.add(where + ", field 'regex': not a valid regular expression: " + e.getDescription());
            return null;
        }
    }

    /** {@code *} any run of characters, {@code ?} one; everything else literal. */
    static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return regex.toString();
    }

    private static void unknownFields(JsonNode node, Set<String> known, String where, List<String> problems) {
        for (String field : (Iterable<String>) node::fieldNames) {
            if (!known.contains(field)) {
                problems.add(where + "unknown field '" + field + "'" + Suggestions.didYouMean(field, known) + "; known: "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(text)) {
                return value;
            }
        }
        return null;
    }

    /** {@code unknown tool type 'vlm' (did you mean 'vlm_process'?); known tool types: ...}: one wording everywhere. */
    public static String unknownToolType(String name, Collection<String> known) {
        return "unknown tool type '" + name + "'" + Suggestions.didYouMean(name, known) + "; known tool types: "
                + String.join(", ", known);
    }

    /** The tool type called {@code name}, or null. */
    public ToolType get(String name) {
        return types.get(name);
    }

    /** Names of the configured tool types (built-in first). */
    public Set<String> names() {
        return new LinkedHashSet<>(types.keySet());
    }

    /** The tool type {@code task} belongs to (see the class comment); never null. */
    public ToolType resolve(TaskSpec task) {
        return resolve(task.toolType(), task.id());
    }

    /** The tool type of a task whose {@code toolType} field is {@code name} and whose id is {@code taskId}. */
    public ToolType resolve(String name, String taskId) {
        ToolType direct = types.get(name);
        if (direct != null) {
            return direct;
        }
        if (resolved.size() > 10_000) {
            resolved.clear(); // a cache, not a registry: distinct task ids must not grow it without bound
        }
        return resolved.computeIfAbsent(name + '\u0000' + taskId, key -> {
            for (Rule rule : mapping) {
                if (rule.matches(name)) {
                    return types.get(rule.toolType());
                }
            }
            for (Rule rule : mapping) {
                if (rule.matches(taskId)) {
                    return types.get(rule.toolType());
                }
            }
            return ToolType.featureless(name);
        });
    }

    /** The mapping rules, described, in order (for {@code maze predictor info}). */
    public List<String> describeMapping() {
        List<String> lines = new ArrayList<>();
        for (Rule rule : mapping) {
            lines.add(rule.describe() + " -> " + rule.toolType());
        }
        return lines;
    }
}
