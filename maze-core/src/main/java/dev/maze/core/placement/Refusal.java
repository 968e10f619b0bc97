package dev.maze.core.placement;

/**
 * Why a filter plug-in refused a node, worded to follow a count of nodes ("6 nodes have fewer free GPUs"), so that
 * {@link Placement#whyPending} can add up the refusals of a whole cluster. Two refusals with the same words are
 * counted together.
 *
 * @param plugin name of the filter plug-in that refused
 * @param reason plural predicate, e.g. "do not allow the model"
 */
public record Refusal(String plugin, String reason) {

    static final Refusal DRAINING = new Refusal("accepting", "are draining");
    static final Refusal NOT_ALLOWED_FOR_WORKFLOW = new Refusal("allowed-nodes", "are not among the nodes its workflow may use");
    static final Refusal FEWER_CORES = new Refusal("fits", "have fewer free cores");
    static final Refusal LESS_MEMORY = new Refusal("fits", "have less free memory");
    static final Refusal CORES_HELD = new Refusal("fits", "hold cores back for the head-of-line task");
    static final Refusal MEMORY_HELD = new Refusal("fits", "hold memory back for the head-of-line task");
    static final Refusal MODEL_NOT_ALLOWED = new Refusal("fits", "do not allow the model");
    static final Refusal ENDPOINT = new Refusal("fits", "are model endpoints, which take one-slot calls of their models only");
    static final Refusal MODEL_ON_ENDPOINTS = new Refusal("fits", "are machines, and the model runs on its endpoints only");
    static final Refusal GPUS_HELD = new Refusal("fits", "hold GPUs back for the head-of-line task");
    static final Refusal FEWER_FREE_GPUS = new Refusal("fits", "have fewer free GPUs");

    @Override
    public String toString() {
        return reason;
    }
}
