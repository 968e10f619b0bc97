package dev.maze.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The synthetic benchmark: reproducible, exact where the outcome is certain, and strict about its settings. */
class ExploreBenchmarkTest {

    private static final List<String> ALL = TraceSchedulers.names();

    private static ExploreBenchmark.Settings settings(ExploreBenchmark.Mode mode, List<Double> hidden, int loops,
            int seeds) {
        return new ExploreBenchmark.Settings(mode, hidden, 60, loops, hidden.size(), seeds, ALL);
    }

    @Test
    void theSameSeedGivesTheSameFigures() {
        for (ExploreBenchmark.Mode mode : ExploreBenchmark.Mode.values()) {
            ExploreBenchmark.Settings settings = settings(mode, List.of(0.1, 0.3, 0.6), 2, 5);
            assertThat(ExploreBenchmark.run(settings)).isEqualTo(ExploreBenchmark.run(settings));
            for (String scheduler : ALL) {
                assertThat(ExploreBenchmark.run(settings, scheduler, 3)).isEqualTo(
                        ExploreBenchmark.run(settings, scheduler, 3));
            }
        }
    }

    @Test
    void certainOutcomesGiveExactFigures() {
        ExploreBenchmark.Settings always = settings(ExploreBenchmark.Mode.SUCCESS, List.of(1.0, 1.0, 1.0), 1, 1);
        // round-robin: 20 experiments per trace, all accepted, scores 1..20; trace 0 (the first of equals) is the best.
        assertThat(ExploreBenchmark.run(always, "round-robin", 1))
                .isEqualTo(new ExploreBenchmark.Run(60, 20, 20.0, 20 / 60.0));
        ExploreBenchmark.Settings never = settings(ExploreBenchmark.Mode.SUCCESS, List.of(0.0, 0.0), 3, 1);
        for (String scheduler : ALL) {
            ExploreBenchmark.Run run = ExploreBenchmark.run(never, scheduler, 1);
            assertThat(run.accepted()).as(scheduler).isZero();
            assertThat(run.bestPathDepth()).as(scheduler).isZero();
            assertThat(run.bestScore()).as(scheduler).isZero();
        }
    }

    /**
     * With as many loops as traces, a lease ends only when its child is committed and that child is then the one free
     * leaf: every leaf-based scheduler makes the same choices and meets the same draws.
     */
    @Test
    void leafBasedSchedulersBehaveAlikeWhenLoopsCoverTheTraces() {
        for (ExploreBenchmark.Mode mode : ExploreBenchmark.Mode.values()) {
            List<ExploreBenchmark.Row> rows = ExploreBenchmark.run(settings(mode, List.of(0.1, 0.3, 0.6), 4, 20));
            ExploreBenchmark.Row first = rows.get(0);
            for (ExploreBenchmark.Row row : rows) {
                if (TraceSchedulers.policy(row.scheduler()).scope() == TracePolicy.Scope.LEAVES) {
                    assertThat(row).as(mode + " " + row.scheduler()).usingRecursiveComparison().ignoringFields("scheduler")
                            .isEqualTo(first);
                }
            }
        }
    }

    /** The README's claim, on 100 seeds: with one loop sota spends most of the budget on the best trace. */
    @Test
    void withOneLoopSotaSpendsMoreOnTheBestTraceThanRoundRobin() {
        List<ExploreBenchmark.Row> rows = ExploreBenchmark.run(new ExploreBenchmark.Settings(
                ExploreBenchmark.Mode.SUCCESS, List.of(0.1, 0.3, 0.6), 60, 1, 3, 100, List.of("round-robin", "sota")));
        assertThat(rows.get(0).shareBest().mean()).isBetween(0.3, 0.36);
        assertThat(rows.get(1).shareBest().mean()).isGreaterThan(0.6);
        assertThat(rows.get(1).accepted().mean()).isGreaterThan(rows.get(0).accepted().mean() + 5);
    }

    @Test
    void badSettingsAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> settings(ExploreBenchmark.Mode.SUCCESS, List.of(0.5, 1.5), 1, 1))
                .hasMessage("a success probability must be from 0 to 1, not 1.5");
        assertThatThrownBy(() -> settings(ExploreBenchmark.Mode.HILL_CLIMB, List.of(Double.NaN), 1, 1))
                .hasMessage("a hill-climb mean must be a finite number, not NaN");
        assertThatThrownBy(() -> new ExploreBenchmark.Settings(ExploreBenchmark.Mode.SUCCESS, List.of(0.5), 0, 1, 1, 1,
                ALL)).hasMessage("budget must be from 1 to 10000, not 0");
        assertThatThrownBy(() -> new ExploreBenchmark.Settings(ExploreBenchmark.Mode.SUCCESS, List.of(0.5), 1, 1, 2, 1,
                ALL)).hasMessage("maxTraces must be from 1 to 1, not 2");
        assertThatThrownBy(() -> new ExploreBenchmark.Settings(ExploreBenchmark.Mode.SUCCESS, List.of(0.5), 1, 1, 1, 1,
                List.of("mcts", "greedy"))).hasMessageStartingWith("no scheduler 'greedy'; known: round-robin");
        assertThatThrownBy(() -> settings(ExploreBenchmark.Mode.SUCCESS, List.of(), 1, 1))
                .hasMessage("give 1 to 64 traces' hidden values, not 0");
    }
}
