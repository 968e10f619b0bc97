package dev.maze.placement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.JsonFields;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Requests to route and node events to replay (maze-placement/README.md, "Requests files"): listed requests, generated
 * ones (Poisson arrivals), or both, and joins, leaves, failures and slowdowns at given times.
 *
 * @param requests by arrival time
 * @param events by time
 */
public record Workload(List<Request> requests, List<NodeEvent> events) {

    /**
     * @param atSeconds arrival, seconds from the start
     * @param tokens tokens the request needs through every layer
     */
    public record Request(String id, double atSeconds, int tokens) {}

    /**
     * @param kind {@code join}, {@code leave} (gracefully: it finishes what it holds), {@code fail} (stops at once,
     *     sends no more heartbeats) or {@code slow} (runs {@code factor} times slower from then on)
     */
    public record NodeEvent(double atSeconds, String kind, String node, double factor) {}

    private static final Set<String> TOP = Set.of("requests", "generate", "events");
    private static final Set<String> REQUEST = Set.of("id", "at", "tokens");
    private static final Set<String> GENERATE = Set.of("count", "ratePerSec", "tokens", "seed");
    private static final Set<String> EVENT = Set.of("at", "join", "leave", "fail", "slow", "factor");
    private static final List<String> KINDS = List.of("join", "leave", "fail", "slow");

    public Workload {
        requests = requests.stream().sorted(Comparator.comparingDouble(Request::atSeconds)).toList();
        events = events.stream().sorted(Comparator.comparingDouble(NodeEvent::atSeconds)).toList();
    }

    /**
     * Reads a requests file; its events must name nodes of {@code cluster}.
     *
     * @throws IllegalArgumentException naming the file, the entry and the field
     */
    public static Workload read(Path file, Cluster cluster) throws IOException {
        String where = file.toString();
        JsonNode root = JsonFields.tree(file);
        JsonFields.object(root, where, "the top level");
        JsonFields.known(root, TOP, where, "the top level");
        if (!root.hasNonNull("requests") && !root.hasNonNull("generate")) {
            throw new IllegalArgumentException(where + ": give requests (a list of {id, at, tokens}) or generate "
                    + "({count, ratePerSec, tokens, seed}), or both");
        }
        List<Request> requests = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        JsonNode list = root.get("requests");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException(where + ": requests must be a list of {id, at, tokens}");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                String at = "requests[" + i + "]";
                JsonFields.object(item, where, at);
                JsonFields.known(item, REQUEST, where, at);
                String id = item.hasNonNull("id") ? JsonFields.text(item, "id", where, at) : "r" + (i + 1);
                if (!ids.add(id)) {
                    throw new IllegalArgumentException(where + ": " + at + ": id '" + id + "' is used twice");
                }
                requests.add(new Request(id, JsonFields.number(item, "at", where, at, 0.0, true),
                        (int) JsonFields.whole(item, "tokens", where, at, 1L, 1, 1_000_000)));
            }
        }
        JsonNode generate = root.get("generate");
        if (generate != null && !generate.isNull()) {
            String at = "generate";
            JsonFields.object(generate, where, at);
            JsonFields.known(generate, GENERATE, where, at);
            requests.addAll(generated((int) JsonFields.whole(generate, "count", where, at, null, 1, 1_000_000),
                    JsonFields.number(generate, "ratePerSec", where, at, null, false),
                    (int) JsonFields.whole(generate, "tokens", where, at, 1L, 1, 1_000_000),
                    JsonFields.whole(generate, "seed", where, at, 1L, Long.MIN_VALUE, Long.MAX_VALUE), ids));
        }
        List<NodeEvent> events = new ArrayList<>();
        JsonNode eventList = root.get("events");
        if (eventList != null && !eventList.isNull()) {
            if (!eventList.isArray()) {
                throw new IllegalArgumentException(where + ": events must be a list of {at, join|leave|fail|slow: NODE}");
            }
            for (int i = 0; i < eventList.size(); i++) {
                events.add(event(eventList.get(i), where, "events[" + i + "]", cluster));
            }
        }
        return new Workload(requests, events);
    }

    /** {@code count} requests of {@code tokens} tokens, Poisson arrivals at {@code ratePerSec}, ids {@code g1, g2, ...}. */
    public static List<Request> generated(int count, double ratePerSec, int tokens, long seed, Set<String> taken) {
        Random random = new Random(seed);
        List<Request> requests = new ArrayList<>();
        double at = 0;
        for (int i = 1; i <= count; i++) {
            at += -Math.log(1 - random.nextDouble()) / ratePerSec;
            String id = "g" + i;
            if (!taken.add(id)) {
                throw new IllegalArgumentException("generated request id '" + id + "' is also a listed request's id");
            }
            requests.add(new Request(id, at, tokens));
        }
        return requests;
    }

    private static NodeEvent event(JsonNode item, String where, String at, Cluster cluster) {
        JsonFields.object(item, where, at);
        JsonFields.known(item, EVENT, where, at);
        List<String> given = KINDS.stream().filter(item::hasNonNull).toList();
        if (given.size() != 1) {
            throw new IllegalArgumentException(where + ": " + at + ": give exactly one of join, leave, fail, slow "
                    + "(the node it happens to), not " + (given.isEmpty() ? "none" : String.join(" and ", given)));
        }
        String kind = given.get(0);
        String node = JsonFields.text(item, kind, where, at);
        if (cluster.node(node) == null) {
            throw new IllegalArgumentException(where + ": " + at + ": " + kind + " names '" + node
                    + "', which is not a node of the nodes file " + cluster.nodes().stream().map(Node::id).toList());
        }
        if (!kind.equals("slow") && item.has("factor")) {
            throw new IllegalArgumentException(where + ": " + at + ": factor goes with slow only");
        }
        double factor = kind.equals("slow") ? JsonFields.number(item, "factor", where, at, null, false) : 1;
        return new NodeEvent(JsonFields.number(item, "at", where, at, null, true), kind, node, factor);
    }
}
