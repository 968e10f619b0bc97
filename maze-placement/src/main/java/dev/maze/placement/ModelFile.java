package dev.maze.placement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.JsonFields;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a model in one of three forms (maze-placement/README.md, "Model files"), told apart by their fields:
 * <ul>
 *   <li>a Hugging Face {@code config.json} ({@code num_hidden_layers}, {@code hidden_size}, ...; or under
 *       {@code text_config} for a multimodal model): read directly, its other fields ignored, since they are many
 *       and none changes a placement;</li>
 *   <li>a Maze architecture ({@code layers}, {@code hiddenSize}, {@code attentionHeads}, ...);</li>
 *   <li>per-layer figures ({@code layers}, {@code layerGflopsPerToken}, {@code layerWeightGb}, ...), how the tests
 *       state small instances.</li>
 * </ul>
 * In the two Maze forms an unknown field is an error. Every error names the file and the field.
 */
public final class ModelFile {

    private static final Set<String> PER_LAYER = Set.of("name", "layers", "layerGflopsPerToken", "layerWeightGb",
            "embeddingGb", "lmHeadGb", "tiedEmbeddings", "layerKvKbPerToken", "activationKbPerToken");
    private static final Set<String> ARCHITECTURE = Set.of("name", "layers", "hiddenSize", "attentionHeads", "kvHeads",
            "headSize", "intermediateSize", "vocabulary", "bytesPerParameter", "bytesPerKvElement", "tiedEmbeddings",
            "experts", "expertsPerToken");
    /** Bytes per parameter by the {@code torch_dtype} a Hugging Face config names. */
    private static final Map<String, Double> DTYPE_BYTES = Map.of("float32", 4.0, "float16", 2.0, "bfloat16", 2.0,
            "float8_e4m3fn", 1.0, "float8_e5m2", 1.0, "int8", 1.0, "float64", 8.0);

    private ModelFile() {}

    /** @throws IllegalArgumentException naming the file and the field that is wrong */
    public static LayerModel read(Path file) throws IOException {
        String where = file.toString();
        JsonNode root = JsonFields.tree(file);
        JsonFields.object(root, where, "the top level");
        String fallbackName = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        try {
            if (root.has("num_hidden_layers") || root.has("text_config")) {
                return huggingFace(root, where, fallbackName).layerModel();
            }
            if (root.has("layerWeightGb") || root.has("layerGflopsPerToken")) {
                return perLayer(root, where, fallbackName);
            }
            if (root.has("hiddenSize")) {
                return architecture(root, where, fallbackName).layerModel();
            }
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(where + ": not a model: give per-layer figures (layers, "
                + "layerGflopsPerToken, layerWeightGb, ...), an architecture (layers, hiddenSize, attentionHeads, ...) "
                + "or a Hugging Face config.json (num_hidden_layers, hidden_size, ...)");
    }

    static LayerModel perLayer(JsonNode root, String where, String fallbackName) {
        String at = "model";
        JsonFields.known(root, PER_LAYER, where, at);
        return new LayerModel(name(root, "name", fallbackName),
                (int) JsonFields.whole(root, "layers", where, at, null, 1, 10_000),
                JsonFields.number(root, "layerGflopsPerToken", where, at, null, false),
                JsonFields.number(root, "layerWeightGb", where, at, null, false),
                JsonFields.number(root, "embeddingGb", where, at, 0.0, true),
                JsonFields.number(root, "lmHeadGb", where, at, 0.0, true),
                JsonFields.bool(root, "tiedEmbeddings", where, at, false),
                JsonFields.number(root, "layerKvKbPerToken", where, at, 0.0, true),
                JsonFields.number(root, "activationKbPerToken", where, at, 0.0, true));
    }

    static Architecture architecture(JsonNode root, String where, String fallbackName) {
        String at = "model";
        JsonFields.known(root, ARCHITECTURE, where, at);
        int hidden = (int) JsonFields.whole(root, "hiddenSize", where, at, null, 1, 1_000_000);
        int heads = (int) JsonFields.whole(root, "attentionHeads", where, at, null, 1, 100_000);
        int experts = (int) JsonFields.whole(root, "experts", where, at, 0L, 0, 100_000);
        return new Architecture(name(root, "name", fallbackName),
                (int) JsonFields.whole(root, "layers", where, at, null, 1, 10_000), hidden, heads,
                (int) JsonFields.whole(root, "kvHeads", where, at, (long) heads, 1, 100_000),
                (int) JsonFields.whole(root, "headSize", where, at, (long) Math.max(1, hidden / heads), 1, 100_000),
                (int) JsonFields.whole(root, "intermediateSize", where, at, null, 1, 10_000_000),
                (int) JsonFields.whole(root, "vocabulary", where, at, null, 1, 100_000_000),
                JsonFields.number(root, "bytesPerParameter", where, at, 2.0, false),
                JsonFields.number(root, "bytesPerKvElement", where, at, 2.0, false),
                JsonFields.bool(root, "tiedEmbeddings", where, at, false), experts,
                (int) JsonFields.whole(root, "expertsPerToken", where, at, experts == 0 ? 0L : null, 0, 100_000));
    }

    /**
     * A Hugging Face config: {@code num_key_value_heads} defaults to the attention heads, {@code head_dim} to
     * {@code hidden_size / num_attention_heads}, {@code tie_word_embeddings} to false, the weights' bytes come from
     * {@code torch_dtype} (or {@code dtype}; bf16 when absent) and the KV cache is taken to be as wide. Experts come
     * from {@code num_local_experts}, {@code num_experts} or {@code n_routed_experts}, their width from
     * {@code moe_intermediate_size} when given.
     */
    static Architecture huggingFace(JsonNode root, String where, String fallbackName) {
        JsonNode config = root.has("num_hidden_layers") || !root.get("text_config").isObject() ? root
                : root.get("text_config");
        String at = config == root ? "config" : "config.text_config";
        int hidden = (int) JsonFields.whole(config, "hidden_size", where, at, null, 1, 1_000_000);
        int heads = (int) JsonFields.whole(config, "num_attention_heads", where, at, null, 1, 100_000);
        int experts = 0;
        for (String field : new String[] {"num_local_experts", "num_experts", "n_routed_experts"}) {
            if (config.hasNonNull(field)) {
                experts = (int) JsonFields.whole(config, field, where, at, null, 0, 100_000);
                break;
            }
        }
        int perToken = experts == 0 ? 0 : (int) JsonFields.whole(config, "num_experts_per_tok", where, at, null, 1, experts);
        int intermediate = experts > 0 && config.hasNonNull("moe_intermediate_size")
                ? (int) JsonFields.whole(config, "moe_intermediate_size", where, at, null, 1, 10_000_000)
                : (int) JsonFields.whole(config, "intermediate_size", where, at, null, 1, 10_000_000);
        double bytes = dtypeBytes(config.hasNonNull("torch_dtype") ? config : root, where, at);
        String name = name(root, "_name_or_path", name(root, "model_type", fallbackName));
        return new Architecture(name, (int) JsonFields.whole(config, "num_hidden_layers", where, at, null, 1, 10_000),
                hidden, heads, (int) JsonFields.whole(config, "num_key_value_heads", where, at, (long) heads, 1, 100_000),
                (int) JsonFields.whole(config, "head_dim", where, at, (long) Math.max(1, hidden / heads), 1, 100_000),
                intermediate, (int) JsonFields.whole(config, "vocab_size", where, at, null, 1, 100_000_000), bytes, bytes,
                JsonFields.bool(root.has("tie_word_embeddings") ? root : config, "tie_word_embeddings", where, at, false),
                experts, perToken);
    }

    private static double dtypeBytes(JsonNode config, String where, String at) {
        String field = config.hasNonNull("torch_dtype") ? "torch_dtype" : "dtype";
        if (!config.hasNonNull(field)) {
            return 2.0;
        }
        String dtype = config.get(field).asText().toLowerCase(Locale.ROOT);
        Double bytes = DTYPE_BYTES.get(dtype);
        if (bytes == null) {
            throw new IllegalArgumentException(where + ": " + at + ": " + field + " '" + dtype + "' is not one of "
                    + new java.util.TreeSet<>(DTYPE_BYTES.keySet()) + " (for quantised weights write a Maze "
                    + "architecture file with bytesPerParameter)");
        }
        return bytes;
    }

    private static String name(JsonNode root, String field, String otherwise) {
        JsonNode value = root.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : otherwise;
    }
}
