package dev.maze.predict.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A boosted tree ensemble evaluated in plain Java: the model behind {@link RegressorKind#GBT}. XGBoost
 * trains it; prediction walks flat arrays instead of calling XGBoost through JNI, which costs ~100 µs per
 * single-row call against about a microsecond here, and loading needs no native library at all.
 *
 * <p>Nodes of all trees sit in one set of arrays, each tree in depth-first pre-order, so an inner node's
 * left child is the next node and only the right child needs an index. The semantics are XGBoost's:
 * features and thresholds are 32-bit floats, a row goes left when {@code (float) x < threshold} and, for
 * a missing ({@code NaN}) value, follows the node's default direction; the prediction is
 * {@code baseScore} plus one leaf value per tree, summed in float in tree order as XGBoost does, so the
 * two agree to float rounding.
 */
final class TreeEnsemble implements Model {
    private static final int LEAF = -1;

    private final List<String> features;
    private final float baseScore;
    /** Index of each tree's root node. */
    private final int[] roots;
    /** Split feature of each node, or {@link #LEAF}. */
    private final int[] splitFeature;
    /** Split threshold of an inner node, leaf value of a leaf (XGBoost stores them in one array too). */
    private final float[] value;
    /** Right child of an inner node; the left child is the node that follows it. */
    private final int[] rightChild;
    /** Where a missing value goes at an inner node. */
    private final boolean[] missingGoesLeft;

    /**
     * One tree in the serialised form: per node, in depth-first pre-order, the split feature ({@code -1}
     * for a leaf), threshold or leaf value, right child index ({@code -1} for a leaf) and missing-value
     * direction.
     */
    record Tree(int[] splitFeature, float[] value, int[] rightChild, boolean[] missingGoesLeft) {
        int size() {
            return splitFeature.length;
        }
    }

    /** Serialised form of the whole ensemble. */
    record Parameters(float baseScore, List<Tree> trees) {}

    private TreeEnsemble(List<String> features, float baseScore, List<Tree> trees) {
        this.features = features;
        this.baseScore = baseScore;
        int nodes = trees.stream().mapToInt(Tree::size).sum();
        roots = new int[trees.size()];
        splitFeature = new int[nodes];
        value = new float[nodes];
        rightChild = new int[nodes];
        missingGoesLeft = new boolean[nodes];
        int offset = 0;
        for (int t = 0; t < trees.size(); t++) {
            Tree tree = trees.get(t);
            roots[t] = offset;
            System.arraycopy(tree.splitFeature(), 0, splitFeature, offset, tree.size());
            System.arraycopy(tree.value(), 0, value, offset, tree.size());
            System.arraycopy(tree.missingGoesLeft(), 0, missingGoesLeft, offset, tree.size());
            for (int node = 0; node < tree.size(); node++) {
                int right = tree.rightChild()[node];
                rightChild[offset + node] = right == LEAF ? LEAF : offset + right;
            }
            offset += tree.size();
        }
    }

    /**
     * An ensemble from trees already in pre-order layout.
     *
     * @throws ModelFormatException when a tree is not a well-formed pre-order tree over {@code features}
     */
    static TreeEnsemble of(List<String> features, float baseScore, List<Tree> trees) throws ModelFormatException {
        ModelDocument.require(Float.isFinite(baseScore), RegressorKind.GBT, "base score must be finite");
        for (int t = 0; t < trees.size(); t++) {
            checkTree(trees.get(t), t, features.size());
        }
        return new TreeEnsemble(List.copyOf(features), baseScore, trees);
    }

    static TreeEnsemble load(byte[] bytes) throws ModelFormatException {
        var contents = ModelDocument.read(bytes, RegressorKind.GBT, Parameters.class);
        return of(contents.features(), contents.parameters().baseScore(), contents.parameters().trees());
    }

    @Override
    public String kind() {
        return RegressorKind.GBT.id();
    }

    @Override
    public List<String> features() {
        return features;
    }

    @Override
    public double predict(double[] row) {
        if (row.length != features.size()) {
            throw WrongRowLength.of(this, row);
        }
        float sum = baseScore;
        for (int root : roots) {
            int node = root;
            int feature;
            while ((feature = splitFeature[node]) != LEAF) {
                float x = (float) row[feature];
                boolean left = x < value[node] || (x != x && missingGoesLeft[node]);
                node = left ? node + 1 : rightChild[node];
            }
            sum += value[node];
        }
        return sum;
    }

    /** Number of trees. */
    int treeCount() {
        return roots.length;
    }

    @Override
    public byte[] toBytes() {
        List<Tree> trees = new ArrayList<>(roots.length);
        for (int t = 0; t < roots.length; t++) {
            int from = roots[t];
            int to = t + 1 < roots.length ? roots[t + 1] : splitFeature.length;
            int[] right = Arrays.copyOfRange(rightChild, from, to);
            for (int node = 0; node < right.length; node++) {
                right[node] = right[node] == LEAF ? LEAF : right[node] - from;
            }
            trees.add(new Tree(
                    Arrays.copyOfRange(splitFeature, from, to),
                    Arrays.copyOfRange(value, from, to),
                    right,
                    Arrays.copyOfRange(missingGoesLeft, from, to)));
        }
        return ModelDocument.write(RegressorKind.GBT, features, new Parameters(baseScore, trees));
    }

    @Override
    public String toString() {
        return "gbt model: " + roots.length + " trees, " + splitFeature.length + " nodes over " + features;
    }

    /**
     * Checks that a tree is exactly a pre-order layout: walking it from node 0, every inner node's right
     * child starts right after its left subtree ends, and the walk ends on the last node. Anything loaded
     * passes this, so {@link #predict} can index without bounds surprises and always reaches a leaf.
     */
    private static void checkTree(Tree tree, int index, int featureCount) throws ModelFormatException {
        String name = "tree " + index;
        int size = tree.size();
        ModelDocument.require(size > 0 && tree.value().length == size && tree.rightChild().length == size
                        && tree.missingGoesLeft().length == size,
                RegressorKind.GBT, name + ": node arrays must be non-empty and of equal length");
        ModelDocument.require(ModelDocument.allFinite(tree.value()), RegressorKind.GBT, name + ": thresholds and leaf values must be finite");
        Deque<Integer> pendingRightChildren = new ArrayDeque<>();
        int node = 0;
        while (true) {
            int feature = tree.splitFeature()[node];
            if (feature != LEAF) {
                ModelDocument.require(feature >= 0 && feature < featureCount, RegressorKind.GBT,
                        name + ", node " + node + ": split feature " + feature + " outside 0.." + (featureCount - 1));
                ModelDocument.require(node + 1 < size, RegressorKind.GBT, name + ", node " + node + ": left child missing");
                pendingRightChildren.push(tree.rightChild()[node]);
                node++;
                continue;
            }
            ModelDocument.require(tree.rightChild()[node] == LEAF, RegressorKind.GBT, name + ", node " + node + ": a leaf has a child");
            if (pendingRightChildren.isEmpty()) {
                ModelDocument.require(node == size - 1, RegressorKind.GBT, name + ": nodes after the end of the tree");
                return;
            }
            int right = pendingRightChildren.pop();
            ModelDocument.require(right == node + 1 && right < size, RegressorKind.GBT,
                    name + ": right child " + right + " is not where the pre-order layout puts it (" + (node + 1) + ")");
            node = right;
        }
    }
}
