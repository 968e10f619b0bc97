package dev.maze.core.placement;

import java.util.List;

/**
 * Placement for model calls that counts what a load and an eviction cost, using only what a scheduler knows
 * (predicted durations, the models resident on each GPU, the models that active workflows will still call):
 * <ol>
 *   <li>a GPU that already holds the task's model wins (no load), the least loaded among several
 *       ({@link PlacementPlugins.ModelLoadCost});
 *   <li>otherwise, when a busy GPU that holds the model is predicted to free up before a load would finish, the
 *       task waits ({@link #DEFER}) — but never longer, in total, than one load of its model, so it cannot
 *       starve ({@link PlacementPlugins.WaitForResidentModel}, the permit step);
 *   <li>otherwise it loads where the eviction hurts least ({@link PlacementPlugins.EvictionRegret}): evicting a
 *       model costs its load time for each active task that will still call it, shared by the copies resident in
 *       the cluster.
 * </ol>
 * A task's cost is its load (0 when resident) plus its eviction regret plus 1e-3 × utilisation, the lowest cost winning
 * (a later node must be cheaper by more than 1e-9). Tasks without GPUs are placed least loaded.
 */
public final class ModelAwarePlacement extends Placement {

    public ModelAwarePlacement() {
        super(builder("model-aware")
                .score(new PlacementPlugins.LeastLoaded(), 1)
                .gpuScoring(new Scoring(List.of(
                        new WeightedScore(new PlacementPlugins.ModelLoadCost(), 1),
                        new WeightedScore(new PlacementPlugins.EvictionRegret(), 1),
                        new WeightedScore(new PlacementPlugins.Utilisation(), 1e-3)), 1e-9))
                .permit(new PlacementPlugins.WaitForResidentModel()));
    }
}
