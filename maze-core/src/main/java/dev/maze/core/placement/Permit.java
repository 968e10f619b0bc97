package dev.maze.core.placement;

/**
 * What a {@link PermitPlugin} says about a chosen node.
 *
 * @param allowed true: start now
 * @param untilSeconds when waiting, the engine-clock time by which to consider the task again (NaN when allowed)
 * @param reason when waiting, why, worded to follow "waits": "for a busy GPU that holds qwen3-32b to free up"
 */
public record Permit(boolean allowed, double untilSeconds, String reason) {

    public static final Permit ALLOW = new Permit(true, Double.NaN, null);

    /** Hold the task back until {@code seconds} (engine clock) at the latest. */
    public static Permit waitUntil(double seconds, String reason) {
        return new Permit(false, seconds, reason);
    }
}
