package dev.maze.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lease protocol's invariants for every scheduler, over 300 seeded random explorations each: 1 to 8 loops, 1 to 4
 * traces, leases committed or released in random order with random feedback. Checked after every step:
 * <ul>
 *   <li>never two in-flight children of one parent;</li>
 *   <li>committed roots plus new roots in flight never exceed the maximum of traces;</li>
 *   <li>a leaf-based scheduler holds only leaves, keeps every trace a chain, and has at most min(loops, traces) in
 *       flight;</li>
 *   <li>a lease is refused only when nothing may be selected (every candidate leased, no new trace allowed);</li>
 *   <li>at the end every lease is released and the DAG holds exactly the committed experiments.</li>
 * </ul>
 */
class ExploreLeasePropertyTest {

    private static final int SEEDS = 300;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"round-robin", "probabilistic", "trace-length", "trace-length:inverse=true", "sota",
            "sota:decay=0.5,inverse=true", "random", "mcts", "mcts:c=0"})
    void theInvariantsHoldUnderRandomCommitOrders(String spec) {
        boolean leafBased = TraceSchedulers.policy(spec).scope() == TracePolicy.Scope.LEAVES;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int loops = 1 + random.nextInt(8);
            int maxTraces = 1 + random.nextInt(4);
            int budget = 5 + random.nextInt(40);
            String at = spec + ", seed " + seed + ", " + loops + " loops, " + maxTraces + " traces";
            ExperimentDag dag = new ExperimentDag(random.nextBoolean() ? Direction.HIGHER : Direction.LOWER);
            TraceScheduler scheduler = TraceSchedulers.create(spec, dag, maxTraces, random.split());
            List<Lease> held = new ArrayList<>();
            int committed = 0;
            while (committed < budget || !held.isEmpty()) {
                boolean take = held.size() < loops && committed + held.size() < budget
                        && (held.isEmpty() || random.nextBoolean());
                if (take) {
                    var lease = scheduler.tryNext();
                    assertThat(lease.isEmpty()).as(at + ": refused only when nothing may be selected")
                            .isEqualTo(nothingSelectable(scheduler.snapshot(), held, maxTraces, leafBased));
                    if (lease.isPresent()) {
                        held.add(lease.get());
                    } else {
                        assertThat(held).as(at + ": a refusal with nothing in flight would wait forever").isNotEmpty();
                    }
                } else {
                    Lease lease = held.remove(random.nextInt(held.size()));
                    if (random.nextInt(10) == 0) {
                        scheduler.release(lease);
                    } else {
                        scheduler.commit(lease, feedback(random));
                        committed++;
                    }
                }
                check(at, scheduler, held, maxTraces, loops, leafBased);
            }
            assertThat(scheduler.inFlight()).as(at + ": every lease released").isEmpty();
            assertThat(scheduler.snapshot().size()).as(at).isEqualTo(committed);
        }
    }

    private static void check(String at, TraceScheduler scheduler, List<Lease> held, int maxTraces, int loops,
            boolean leafBased) {
        ExperimentDag dag = scheduler.snapshot();
        assertThat(scheduler.inFlight()).as(at).containsExactlyInAnyOrderElementsOf(held);
        Set<Integer> parents = new HashSet<>();
        int newRoots = 0;
        for (Lease lease : held) {
            OptionalInt parent = lease.parent();
            if (parent.isEmpty()) {
                newRoots++;
            } else {
                assertThat(parents.add(parent.getAsInt())).as(at + ": two in-flight children of " + parent.getAsInt())
                        .isTrue();
                if (leafBased) {
                    assertThat(dag.isLeaf(parent.getAsInt())).as(at + ": a leaf-based scheduler holds a non-leaf")
                            .isTrue();
                }
            }
        }
        assertThat(dag.roots().size() + newRoots).as(at + ": roots").isLessThanOrEqualTo(maxTraces);
        if (leafBased) {
            assertThat(held.size()).as(at + ": in flight").isLessThanOrEqualTo(Math.min(loops, maxTraces));
            for (Experiment experiment : dag.experiments()) {
                assertThat(dag.children(experiment.id())).as(at + ": a trace branched").hasSizeLessThanOrEqualTo(1);
            }
        }
    }

    private static boolean nothingSelectable(ExperimentDag dag, List<Lease> held, int maxTraces, boolean leafBased) {
        long newRoots = held.stream().filter(Lease::isNewRoot).count();
        if (dag.roots().size() + newRoots < maxTraces) {
            return false;
        }
        Set<Integer> leased = new HashSet<>();
        held.forEach(lease -> lease.parent().ifPresent(leased::add));
        return (leafBased ? dag.leaves() : dag.experiments()).stream().allMatch(e -> leased.contains(e.id()));
    }

    private static Feedback feedback(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> Feedback.failed(Outcome.values()[1 + random.nextInt(4)], random.nextBoolean() ? 1 : null);
            case 1 -> Feedback.ok(false, random.nextBoolean() ? random.nextGaussian() : null);
            default -> Feedback.ok(true, random.nextInt(5) == 0 ? null : random.nextGaussian());
        };
    }
}
