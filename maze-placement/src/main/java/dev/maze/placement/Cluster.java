package dev.maze.placement;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes a model may be placed on, with how to read a round-trip time between two of them: the figure given in
 * either direction, else {@code defaultRttMs}.
 *
 * @param defaultRttMs the RTT of a pair that names no figure; {@code null} when every pair must name one
 */
public record Cluster(List<Node> nodes, Double defaultRttMs) {

    /** @throws IllegalArgumentException for a duplicate id, an RTT to an unknown node, or a pair with no RTT */
    public Cluster {
        nodes = List.copyOf(nodes);
        Map<String, Node> byId = new HashMap<>();
        for (Node node : nodes) {
            if (byId.put(node.id(), node) != null) {
                throw new IllegalArgumentException("node '" + node.id() + "' is described twice");
            }
        }
        if (defaultRttMs != null && !(defaultRttMs >= 0 && Double.isFinite(defaultRttMs))) {
            throw new IllegalArgumentException("defaultRttMs must be a number of 0 or more, not " + defaultRttMs);
        }
        for (Node node : nodes) {
            for (String other : node.rttMs().keySet()) {
                if (!byId.containsKey(other)) {
                    throw new IllegalArgumentException("node '" + node.id() + "': rttMs names '" + other
                            + "', which is not a node of the cluster " + byId.keySet());
                }
            }
        }
        if (defaultRttMs == null) {
            for (int i = 0; i < nodes.size(); i++) {
                for (int j = i + 1; j < nodes.size(); j++) {
                    Node a = nodes.get(i);
                    Node b = nodes.get(j);
                    if (!a.rttMs().containsKey(b.id()) && !b.rttMs().containsKey(a.id())) {
                        throw new IllegalArgumentException("no RTT between nodes '" + a.id() + "' and '" + b.id()
                                + "': give rttMs in either, or defaultRttMs for the pairs you leave out");
                    }
                }
            }
        }
    }

    /** Nodes with no RTTs, all pairs {@code rttMs} apart. */
    public static Cluster of(List<Node> nodes, double rttMs) {
        return new Cluster(nodes, rttMs);
    }

    /** Round-trip milliseconds between two nodes of this cluster (0 from a node to itself). */
    public double rttMs(Node a, Node b) {
        if (a.id().equals(b.id())) {
            return 0;
        }
        Double ms = a.rttMs().get(b.id());
        if (ms == null) {
            ms = b.rttMs().get(a.id());
        }
        if (ms == null) {
            ms = defaultRttMs;
        }
        if (ms == null) {
            throw new IllegalArgumentException("no RTT between nodes '" + a.id() + "' and '" + b.id() + "'");
        }
        return ms;
    }

    /** The node with this id, or null. */
    public Node node(String id) {
        for (Node node : nodes) {
            if (node.id().equals(id)) {
                return node;
            }
        }
        return null;
    }

    /** This cluster with the nodes of these ids only, in this cluster's order (RTTs to the others dropped). */
    public Cluster only(java.util.Collection<String> ids) {
        List<Node> kept = nodes.stream().filter(n -> ids.contains(n.id())).map(n -> {
            Map<String, Double> rtt = new LinkedHashMap<>(n.rttMs());
            rtt.keySet().retainAll(ids);
            return n.withRtt(rtt);
        }).toList();
        return new Cluster(kept, defaultRttMs);
    }

    /** This cluster with {@code node} replaced by (same id) or added. */
    public Cluster with(Node node) {
        List<Node> next = new java.util.ArrayList<>(nodes.stream().filter(n -> !n.id().equals(node.id())).toList());
        int at = nodes.indexOf(node(node.id()));
        next.add(at < 0 ? next.size() : at, node);
        return new Cluster(next, defaultRttMs);
    }
}
