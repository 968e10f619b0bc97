package dev.maze.predict.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The JSON envelope every serialised model shares:
 * {@code {"format":"maze-model","version":1,"kind":"gbt","features":[...],"parameters":{...}}}. The
 * envelope lets {@link RegressorKind#load} reject foreign bytes, models of another kind and newer formats
 * with a message that says which, before looking at the kind-specific parameters.
 */
final class ModelDocument {
    static final String FORMAT = "maze-model";
    static final int VERSION = 1;

    /** Strict on purpose: a missing or unknown field means the bytes are not what this build wrote. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .build();

    /** The parts of a read model: its feature columns and its kind-specific parameters. */
    record Contents<P>(List<String> features, P parameters) {}

    private ModelDocument() {}

    static byte[] write(RegressorKind kind, List<String> features, Object parameters) {
        var document = MAPPER.createObjectNode()
                .put("format", FORMAT)
                .put("version", VERSION)
                .put("kind", kind.id());
        features.forEach(document.putArray("features")::add);
        document.set("parameters", MAPPER.valueToTree(parameters));
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a " + kind.id() + " model", e);
        }
    }

    static <P> Contents<P> read(byte[] bytes, RegressorKind expected, Class<P> parametersType)
            throws ModelFormatException {
        if (bytes == null || bytes.length == 0) {
            throw new ModelFormatException("no model bytes: the serialised model is empty");
        }
        JsonNode document;
        try {
            document = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ModelFormatException("not a Maze model: the bytes are not JSON", e);
        }
        if (document == null || !document.isObject() || !FORMAT.equals(document.path("format").asText(null))) {
            throw new ModelFormatException("not a Maze model: expected a JSON object with \"format\": \"" + FORMAT + "\"");
        }
        int version = document.path("version").asInt(-1);
        if (version != VERSION) {
            throw new ModelFormatException("model format version " + document.path("version")
                    + " cannot be read by this build, which reads version " + VERSION
                    + (version > VERSION ? "; load it with a newer Maze or retrain the model" : ""));
        }
        String kind = document.path("kind").asText("");
        if (!kind.equals(expected.id())) {
            throw new ModelFormatException("the bytes hold a '" + kind + "' model, not '" + expected.id() + "'; load them with "
                    + "the regressor kind they were trained as (one of " + RegressorKind.choices() + ")");
        }
        List<String> features = features(document.path("features"));
        try {
            return new Contents<>(features, MAPPER.treeToValue(document.path("parameters"), parametersType));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException("corrupt " + kind + " model parameters: " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> features(JsonNode node) throws ModelFormatException {
        if (!node.isArray() || node.isEmpty()) {
            throw new ModelFormatException("corrupt model: \"features\" must be a non-empty array of column names");
        }
        List<String> features = new ArrayList<>();
        for (JsonNode feature : node) {
            if (!feature.isTextual() || feature.asText().isBlank()) {
                throw new ModelFormatException("corrupt model: feature names must be non-blank strings, found " + feature);
            }
            features.add(feature.asText());
        }
        if (new HashSet<>(features).size() != features.size()) {
            throw new ModelFormatException("corrupt model: feature names repeat: " + features);
        }
        return List.copyOf(features);
    }

    /** Rejects parameters that decoded as JSON but cannot describe a model (NaN weights, missing arrays). */
    static void require(boolean condition, RegressorKind kind, String problem) throws ModelFormatException {
        if (!condition) {
            throw new ModelFormatException("corrupt " + kind.id() + " model: " + problem);
        }
    }

    static boolean allFinite(double[] values) {
        for (double value : values) {
            if (!Double.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    static boolean allFinite(float[] values) {
        for (float value : values) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }
}
