package dev.maze.core.placement;

import dev.maze.core.node.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a READY task has not started, as {@link Placement#whyPending} finds it, e.g. "needs 1 core, 2 GPUs, model
 * qwen3-32b: 6 nodes have fewer free GPUs, 2 nodes do not allow the model; holds the reservation on gpu-3".
 *
 * @param need what the task needs, in words
 * @param refusals per reason (the words of a {@link Refusal}), how many nodes refuse the task for it, most first
 * @param fittingNodes nodes that could run it now (then it waits for another reason: a permit, or its turn)
 * @param waits why a permit makes it wait ("until 30 s for a busy GPU that holds m to free up"), or null
 * @param reservedNode id of the node held for it, or null
 */
public record PendingReason(String need, Map<String, Integer> refusals, int fittingNodes, String waits,
        String reservedNode) {

    public PendingReason {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(refusals.entrySet());
        sorted.sort((a, b) -> Integer.compare(b.getValue(), a.getValue())); // stable: first seen first on ties
        Map<String, Integer> ordered = new LinkedHashMap<>();
        sorted.forEach(entry -> ordered.put(entry.getKey(), entry.getValue()));
        refusals = java.util.Collections.unmodifiableMap(ordered);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("needs ").append(need);
        List<String> parts = new ArrayList<>();
        if (fittingNodes > 0) {
            parts.add(waits != null ? "could start on " + nodes(fittingNodes) + " now but waits " + waits
                    : "could start on " + nodes(fittingNodes) + " now");
        }
        refusals.forEach((reason, count) -> parts.add(nodes(count) + " " + (count == 1 ? singular(reason) : reason)));
        if (!parts.isEmpty()) {
            text.append(": ").append(String.join(", ", parts));
        }
        if (fittingNodes == 0 && refusals.isEmpty()) {
            text.append(": no node is present");
        }
        if (reservedNode != null) {
            text.append("; holds the reservation on ").append(reservedNode);
        }
        return text.toString();
    }

    private static String nodes(int count) {
        return count == 1 ? "1 node" : count + " nodes";
    }

    /** "have fewer free GPUs" -> "has fewer free GPUs", for one node. */
    private static String singular(String reason) {
        int space = reason.indexOf(' ');
        String verb = space < 0 ? reason : reason.substring(0, space);
        String rest = space < 0 ? "" : reason.substring(space);
        return switch (verb) {
            case "have" -> "has";
            case "are" -> "is";
            case "do" -> "does";
            default -> verb + "s";
        } + rest;
    }

    /** The request in words: "1 core, 16 GB, 2 GPUs with 20 GB free each, model qwen3-32b". */
    static String describe(Resources need) {
        List<String> parts = new ArrayList<>();
        if (need.cpu() > 0) {
            parts.add(number(need.cpu()) + (need.cpu() == 1 ? " core" : " cores"));
        }
        if (need.memoryGb() > 0) {
            parts.add(number(need.memoryGb()) + " GB");
        }
        if (need.gpus() > 0) {
            String gpus = need.gpus() == 1 ? "1 GPU" : need.gpus() + " GPUs";
            parts.add(need.wholeGpus() ? gpus
                    : gpus + " with " + number(need.gpuMemoryGb()) + " GB free" + (need.gpus() == 1 ? "" : " each"));
        }
        if (need.model() != null) {
            parts.add("model " + need.model());
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }

    /** 2 -> "2", 2.5 -> "2.5", 1/3 -> "0.333". */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        String text = String.format(java.util.Locale.ROOT, "%.3f", value);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
