package dev.maze.predict.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Converts an XGBoost booster saved as JSON ({@code booster.toByteArray("json")}, schema of XGBoost
 * 2.x/3.x) into a {@link TreeEnsemble}. Only what squared-error regression with numeric splits produces
 * is accepted; anything else (categorical splits, multi-target trees, other objectives or boosters) is
 * refused rather than evaluated wrongly.
 *
 * <p>Facts of the format relied on: per tree, {@code left_children[i] == -1} marks a leaf;
 * {@code split_conditions} holds the threshold of an inner node and the (already learning-rate scaled)
 * value of a leaf; {@code split_indices} the feature; {@code default_left} the missing-value direction.
 * {@code learner_model_param.base_score} is a string holding a float in 3.0 ({@code "3.42E1"}) and a
 * one-element list from 3.1 on ({@code "[3.42E1]"}); for squared error it is added as is.
 */
final class XgboostJsonImporter {
    /**
     * Decimals kept exact, so each threshold is rounded once, straight to the float XGBoost wrote, instead
     * of through a double first.
     */
    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private XgboostJsonImporter() {}

    /**
     * @param json the booster's JSON model
     * @param features the feature names, in the order of the training matrix's columns
     * @param treeLimit how many trees to keep from the front (boosting rounds, one tree each)
     */
    static TreeEnsemble read(byte[] json, List<String> features, int treeLimit) throws ModelFormatException {
        JsonNode learner;
        try {
            learner = MAPPER.readTree(json).path("learner");
        } catch (IOException e) {
            throw new ModelFormatException("XGBoost model is not JSON", e);
        }
        String objective = learner.path("objective").path("name").asText();
        require(objective.equals("reg:squarederror"), "objective is '" + objective + "', expected reg:squarederror");
        JsonNode booster = learner.path("gradient_booster");
        require(booster.path("name").asText().equals("gbtree"), "booster is '" + booster.path("name").asText() + "', expected gbtree");
        JsonNode treeNodes = booster.path("model").path("trees");
        require(treeNodes.isArray(), "no trees array");

        List<TreeEnsemble.Tree> trees = new ArrayList<>();
        for (int t = 0; t < Math.min(treeLimit, treeNodes.size()); t++) {
            trees.add(preOrder(treeNodes.get(t), t));
        }
        return TreeEnsemble.of(features, baseScore(learner.path("learner_model_param").path("base_score")), trees);
    }

    private static float baseScore(JsonNode node) throws ModelFormatException {
        String text = node.asText("").strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1).strip();
        }
        try {
            return Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new ModelFormatException("XGBoost model: unreadable base_score " + node, e);
        }
    }

    /** Re-lays one XGBoost tree (nodes in allocation order) into depth-first pre-order. */
    private static TreeEnsemble.Tree preOrder(JsonNode tree, int index) throws ModelFormatException {
        int[] left = ints(tree, "left_children", index);
        int[] right = ints(tree, "right_children", index);
        int[] feature = ints(tree, "split_indices", index);
        int[] defaultLeft = ints(tree, "default_left", index);
        float[] condition = floats(tree, "split_conditions", index);
        int size = left.length;
        require(right.length == size && feature.length == size && defaultLeft.length == size && condition.length == size,
                "tree " + index + ": node arrays differ in length");
        JsonNode splitType = tree.path("split_type");
        for (JsonNode type : splitType) {
            require(type.asInt() == 0, "tree " + index + " has a categorical split; only numeric features are supported");
        }
        require(tree.path("tree_param").path("size_leaf_vector").asInt(1) <= 1, "tree " + index + " is a multi-target tree");

        int[] outFeature = new int[size];
        float[] outValue = new float[size];
        int[] outRight = new int[size];
        boolean[] outMissingLeft = new boolean[size];
        boolean[] visited = new boolean[size];
        int written = 0;
        // Explicit stack of (node, slot of the parent's right-child index to patch, or -1).
        Deque<int[]> stack = new ArrayDeque<>();
        stack.push(new int[] {0, -1});
        while (!stack.isEmpty()) {
            int[] entry = stack.pop();
            int node = entry[0];
            require(node >= 0 && node < size && !visited[node], "tree " + index + ": node " + node + " is out of range or reached twice");
            visited[node] = true;
            int position = written++;
            if (entry[1] >= 0) {
                outRight[entry[1]] = position;
            }
            if (left[node] == -1) {
                outFeature[position] = -1;
                outRight[position] = -1;
                outValue[position] = condition[node];
            } else {
                outFeature[position] = feature[node];
                outValue[position] = condition[node];
                outMissingLeft[position] = defaultLeft[node] != 0;
                stack.push(new int[] {right[node], position}); // popped after the whole left subtree
                stack.push(new int[] {left[node], -1});
            }
        }
        // Nodes XGBoost pruned stay in its arrays but are unreachable; drop them.
        return new TreeEnsemble.Tree(
                Arrays.copyOf(outFeature, written),
                Arrays.copyOf(outValue, written),
                Arrays.copyOf(outRight, written),
                Arrays.copyOf(outMissingLeft, written));
    }

    private static int[] ints(JsonNode tree, String field, int index) throws ModelFormatException {
        JsonNode array = tree.path(field);
        require(array.isArray(), "tree " + index + ": no " + field + " array");
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    private static float[] floats(JsonNode tree, String field, int index) throws ModelFormatException {
        JsonNode array = tree.path(field);
        require(array.isArray(), "tree " + index + ": no " + field + " array");
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            require(array.get(i).isNumber(), "tree " + index + ": " + field + " holds a non-number");
            values[i] = Float.parseFloat(array.get(i).decimalValue().toString());
        }
        return values;
    }

    private static void require(boolean condition, String problem) throws ModelFormatException {
        if (!condition) {
            throw new ModelFormatException("unsupported XGBoost model: " + problem);
        }
    }
}
