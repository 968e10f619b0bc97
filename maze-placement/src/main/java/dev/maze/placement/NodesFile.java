package dev.maze.placement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.JsonFields;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the nodes a model may be placed on (maze-placement/README.md, "Nodes"): a YAML or JSON list of nodes, or a
 * mapping {@code {defaultRttMs: MS, nodes: [...]}} when not every pair names its RTT. An unknown field is an error;
 * every error names the file, the node and the field.
 */
public final class NodesFile {

    private static final Set<String> TOP = Set.of("nodes", "defaultRttMs");
    private static final Set<String> NODE = Set.of("id", "gpus", "tflops", "memoryGb", "memoryBandwidthGbPerSec",
            "rttMs", "weightMemoryFraction", "kvCacheMemoryFraction", "layerLatencyMs", "linkGbPerSec", "maxRequests");

    private NodesFile() {}

    /** @throws IllegalArgumentException naming the file, the node and the field that is wrong */
    public static Cluster read(Path file) throws IOException {
        String where = file.toString();
        JsonNode root = JsonFields.tree(file);
        Double defaultRtt = null;
        JsonNode list = root;
        if (root.isObject()) {
            JsonFields.known(root, TOP, where, "the top level");
            list = root.get("nodes");
            defaultRtt = root.hasNonNull("defaultRttMs")
                    ? JsonFields.number(root, "defaultRttMs", where, "the top level", null, true) : null;
        }
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(where + ": nodes must be a non-empty list of {id, gpus, tflops, "
                    + "memoryGb, ...}");
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            nodes.add(node(list.get(i), where, "nodes[" + i + "]"));
        }
        try {
            return new Cluster(nodes, defaultRtt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static Node node(JsonNode item, String where, String at) {
        JsonFields.object(item, where, at);
        String id = JsonFields.text(item, "id", where, at);
        at = "node '" + id + "'";
        JsonFields.known(item, NODE, where, at);
        boolean weightGiven = item.hasNonNull("weightMemoryFraction");
        boolean kvGiven = item.hasNonNull("kvCacheMemoryFraction");
        double weight = JsonFields.number(item, "weightMemoryFraction", where, at, 1.0, true);
        double kv = JsonFields.number(item, "kvCacheMemoryFraction", where, at, 0.0, true);
        // Both absent: all memory holds weights. One given: the other is the rest.
        if (weightGiven && !kvGiven) {
            kv = Math.max(0, 1 - weight);
        } else if (kvGiven && !weightGiven) {
            weight = Math.max(0, 1 - kv);
        }
        if (weight > 1 || kv > 1 || weight + kv > 1 + 1e-9) {
            throw new IllegalArgumentException(where + ": " + at + ": weightMemoryFraction (" + weight
                    + ") and kvCacheMemoryFraction (" + kv + ") must each be at most 1 and sum to at most 1");
        }
        if (weight == 0) {
            throw new IllegalArgumentException(where + ": " + at + ": weightMemoryFraction is 0: the node could hold "
                    + "no layer (leave it out of the file instead)");
        }
        Map<String, Double> rtt = new LinkedHashMap<>();
        JsonNode rttNode = item.get("rttMs");
        if (rttNode != null && !rttNode.isNull()) {
            JsonFields.object(rttNode, where, at + ": rttMs");
            for (Iterator<String> names = rttNode.fieldNames(); names.hasNext();) {
                String other = names.next();
                if (other.equals(id)) {
                    throw new IllegalArgumentException(where + ": " + at + ": rttMs names the node itself");
                }
                rtt.put(other, JsonFields.number(rttNode, other, where, at + ": rttMs", null, true));
            }
        }
        try {
            return new Node(id, (int) JsonFields.whole(item, "gpus", where, at, 1L, 1, 1_024),
                    JsonFields.number(item, "tflops", where, at, null, false),
                    JsonFields.number(item, "memoryGb", where, at, null, false),
                    JsonFields.number(item, "memoryBandwidthGbPerSec", where, at, 0.0, true), rtt, weight, kv,
                    JsonFields.number(item, "layerLatencyMs", where, at, 0.0, true),
                    JsonFields.number(item, "linkGbPerSec", where, at, 0.0, true),
                    (int) JsonFields.whole(item, "maxRequests", where, at, 0L, 0, 1_000_000));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + at + ": " + e.getMessage(), e);
        }
    }
}
