package dev.maze.placement;

/**
 * A model as the allocators see it: {@code layers} identical decoder layers plus the embedding and the LM head
 * (maze-placement/README.md, "Model"). GB are 10^9 bytes; GFLOP are 10^9 floating-point operations.
 *
 * @param name what reports call it
 * @param layers decoder layers, at least 1
 * @param layerGflopsPerToken the work of one layer for one token, GFLOP
 * @param layerWeightGb one layer's weights, GB
 * @param embeddingGb the input embedding, held by the first stage, GB
 * @param lmHeadGb the LM head (output projection), held by the last stage, GB
 * @param tiedEmbeddings whether the LM head is the embedding matrix: a node that is both first and last stage holds
 *     it once; two different nodes each hold a copy
 * @param layerKvKbPerToken KV cache one layer keeps per token of context, KB (10^3 bytes); 0 when unknown
 * @param activationKbPerToken what a stage sends the next per token (the hidden state), KB; 0 when unknown (links
 *     then never limit the max-flow router)
 */
public record LayerModel(String name, int layers, double layerGflopsPerToken, double layerWeightGb, double embeddingGb,
        double lmHeadGb, boolean tiedEmbeddings, double layerKvKbPerToken, double activationKbPerToken) {

    /** @throws IllegalArgumentException naming the field that is out of range */
    public LayerModel {
        if (layers < 1) {
            throw new IllegalArgumentException("layers must be at least 1, not " + layers);
        }
        positive("layerGflopsPerToken", layerGflopsPerToken);
        positive("layerWeightGb", layerWeightGb);
        notNegative("embeddingGb", embeddingGb);
        notNegative("lmHeadGb", lmHeadGb);
        notNegative("layerKvKbPerToken", layerKvKbPerToken);
        notNegative("activationKbPerToken", activationKbPerToken);
    }

    /** GB the first and last stage reserve besides their layers (one copy of a tied matrix when one node is both). */
    public double reservedGb(boolean first, boolean last) {
        if (first && last && tiedEmbeddings) {
            return Math.max(embeddingGb, lmHeadGb);
        }
        return (first ? embeddingGb : 0) + (last ? lmHeadGb : 0);
    }

    /** GB of KV cache one layer keeps for a request of {@code contextTokens} tokens (0 when the figure is unknown). */
    public double layerKvGb(int contextTokens) {
        return layerKvKbPerToken * contextTokens / 1e6;
    }

    /** All weights of one copy of the model, GB (a tied matrix once). */
    public double totalWeightGb() {
        return layers * layerWeightGb + reservedGb(true, true);
    }

    private static void positive(String field, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a number above 0, not " + value);
        }
    }

    private static void notNegative(String field, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a number of 0 or more, not " + value);
        }
    }
}
