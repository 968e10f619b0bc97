package dev.maze.placement;

/**
 * A decoder-only transformer described by its shape, as a Hugging Face {@code config.json} gives it; {@link #layerModel}
 * derives the per-layer figures the allocators use (formulas in maze-placement/README.md, "Model").
 *
 * <p>Each layer: attention with {@code attentionHeads} query heads and {@code kvHeads} key/value heads of
 * {@code headSize} (grouped-query attention when fewer KV heads), a gated MLP (gate, up and down projections, as
 * Llama, Qwen and Mistral have) of {@code intermediateSize}, and two norms. With {@code experts > 0} the MLP is a
 * mixture of {@code experts} such MLPs of {@code intermediateSize} each plus a router, of which
 * {@code expertsPerToken} run for a token.
 *
 * @param bytesPerParameter 2 for bf16/fp16, 1 for fp8/int8, 0.5 for 4-bit weights
 * @param bytesPerKvElement bytes of one cached key or value element (2 for an fp16 cache)
 * @param experts 0 for a dense MLP
 * @param expertsPerToken experts a token runs (0 when dense)
 */
public record Architecture(String name, int layers, int hiddenSize, int attentionHeads, int kvHeads, int headSize,
        int intermediateSize, int vocabulary, double bytesPerParameter, double bytesPerKvElement,
        boolean tiedEmbeddings, int experts, int expertsPerToken) {

    /** @throws IllegalArgumentException naming the field that is out of range or inconsistent */
    public Architecture {
        atLeast("layers", layers, 1);
        atLeast("hiddenSize", hiddenSize, 1);
        atLeast("attentionHeads", attentionHeads, 1);
        atLeast("kvHeads", kvHeads, 1);
        atLeast("headSize", headSize, 1);
        atLeast("intermediateSize", intermediateSize, 1);
        atLeast("vocabulary", vocabulary, 1);
        atLeast("experts", experts, 0);
        if (kvHeads > attentionHeads || attentionHeads % kvHeads != 0) {
            throw new IllegalArgumentException("kvHeads (" + kvHeads + ") must divide attentionHeads ("
                    + attentionHeads + ")");
        }
        if (experts == 0 ? expertsPerToken != 0 : expertsPerToken < 1 || expertsPerToken > experts) {
            throw new IllegalArgumentException(experts == 0 ? "expertsPerToken needs experts"
                    : "expertsPerToken must be from 1 to experts (" + experts + "), not " + expertsPerToken);
        }
        if (!(bytesPerParameter > 0) || bytesPerParameter > 8) {
            throw new IllegalArgumentException("bytesPerParameter must be above 0 and at most 8, not "
                    + bytesPerParameter);
        }
        if (!(bytesPerKvElement > 0) || bytesPerKvElement > 8) {
            throw new IllegalArgumentException("bytesPerKvElement must be above 0 and at most 8, not "
                    + bytesPerKvElement);
        }
    }

    /** Parameters of the attention block: Wq, Wk, Wv, Wo. */
    public double attentionParameters() {
        double q = (double) attentionHeads * headSize;
        double kv = (double) kvHeads * headSize;
        return hiddenSize * q + 2 * hiddenSize * kv + q * hiddenSize;
    }

    /** Parameters of one gated MLP: gate, up, down. */
    private double mlpParameters() {
        return 3.0 * hiddenSize * intermediateSize;
    }

    /** All parameters of one layer (every expert, the router, the two norms). */
    public double layerParameters() {
        double mlp = experts == 0 ? mlpParameters() : experts * mlpParameters() + (double) hiddenSize * experts;
        return attentionParameters() + mlp + 2.0 * hiddenSize;
    }

    /** Parameters one token touches in one layer (the experts it runs, not all of them). */
    public double activeLayerParameters() {
        double mlp = experts == 0 ? mlpParameters() : expertsPerToken * mlpParameters() + (double) hiddenSize * experts;
        return attentionParameters() + mlp + 2.0 * hiddenSize;
    }

    /** Bytes of one layer's weights. */
    public double layerWeightBytes() {
        return layerParameters() * bytesPerParameter;
    }

    /**
     * GFLOP of one layer for one token: 2 per active parameter (a multiply and an add). The attention scores'
     * {@code 4 × heads × headSize × context} are left out: they grow with the context, which a placement does not know.
     */
    public double layerGflopsPerToken() {
        return 2 * activeLayerParameters() / 1e9;
    }

    /** Bytes one layer's KV cache grows per token: a key and a value of {@code kvHeads × headSize} each. */
    public double layerKvBytesPerToken() {
        return 2.0 * kvHeads * headSize * bytesPerKvElement;
    }

    /** Bytes of the embedding matrix, {@code vocabulary × hiddenSize}; the LM head is the same size. */
    public double embeddingBytes() {
        return (double) vocabulary * hiddenSize * bytesPerParameter;
    }

    /** The per-layer figures the allocators use. */
    public LayerModel layerModel() {
        return new LayerModel(name, layers, layerGflopsPerToken(), layerWeightBytes() / 1e9, embeddingBytes() / 1e9,
                embeddingBytes() / 1e9, tiedEmbeddings, layerKvBytesPerToken() / 1e3,
                hiddenSize * bytesPerParameter / 1e3);
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", not " + value);
        }
    }
}
