package dev.maze.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lease protocol with real threads: next() waits without polling and wakes on a commit, a release, a reset or
 * close; loops on virtual threads share a budget and stop cleanly when the scheduler is closed; leases that are not in
 * flight are refused; a policy that breaks the protocol's rules is caught.
 */
class ExploreLeaseThreadsTest {

    private static final long DEADLINE_SECONDS = 20;

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    static List<String> schedulers() {
        return TraceSchedulers.names();
    }

    /** Eight loops on virtual threads until a budget of 200 is spent; then close() stops the ones still waiting. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void parallelLoopsKeepTheInvariantsAndStopCleanlyOnClose(String spec) throws Exception {
        int loops = 8;
        int maxTraces = 3;
        int budget = 200;
        boolean leafBased = TraceSchedulers.policy(spec).scope() == TracePolicy.Scope.LEAVES;
        TraceScheduler scheduler = TraceSchedulers.create(spec, new ExperimentDag(Direction.HIGHER), maxTraces,
                new SplittableRandom(7));
        ConcurrentHashMap<Integer, Lease> extending = new ConcurrentHashMap<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<Integer>> results = new ArrayList<>();
        for (int loop = 0; loop < loops; loop++) {
            long seed = loop;
            results.add(threads.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                int commits = 0;
                while (true) {
                    Lease lease;
                    try {
                        lease = scheduler.next();
                    } catch (SchedulerClosedException e) {
                        return commits;
                    }
                    if (started.incrementAndGet() > budget) {
                        scheduler.release(lease);
                        scheduler.close();
                        return commits;
                    }
                    mostInFlight.accumulateAndGet(scheduler.inFlight().size(), Math::max);
                    lease.parent().ifPresent(parent -> {
                        if (extending.putIfAbsent(parent, lease) != null) {
                            violations.add("two in-flight children of " + parent);
                        }
                    });
                    Thread.yield(); // let the other loops in while this one holds its lease
                    lease.parent().ifPresent(extending::remove);
                    scheduler.commit(lease, random.nextBoolean() ? Feedback.ok(true, random.nextDouble())
                            : Feedback.failed(Outcome.TIMEOUT, null));
                    commits++;
                }
            }));
        }
        int commits = 0;
        for (Future<Integer> result : results) {
            commits += result.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(violations).isEmpty();
        assertThat(commits).isEqualTo(budget);
        assertThat(scheduler.inFlight()).isEmpty();
        ExperimentDag dag = scheduler.snapshot();
        assertThat(dag.size()).isEqualTo(budget);
        assertThat(dag.roots()).hasSize(maxTraces);
        if (leafBased) {
            assertThat(mostInFlight.get()).isLessThanOrEqualTo(Math.min(loops, maxTraces));
            assertThat(dag.leaves()).as("each trace a chain").hasSize(maxTraces);
        }
    }

    @Test
    void nextWaitsUntilACommitOrAReleaseFreesACandidate() throws Exception {
        LeaseProtocol scheduler = protocol("sota", 1);
        Lease root = scheduler.next();
        Future<Lease> waiting = threads.submit(() -> scheduler.next());
        await(() -> scheduler.waiting() == 1);
        assertThat(waiting).isNotDone();
        scheduler.commit(root, Dags.ACCEPTED);
        Lease child = waiting.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(child.selection()).isEqualTo(Selection.extend(0));

        Future<Lease> again = threads.submit(() -> scheduler.next());
        await(() -> scheduler.waiting() == 1);
        scheduler.release(child);
        assertThat(again.get(DEADLINE_SECONDS, TimeUnit.SECONDS).selection()).as("the released leaf is offered again")
                .isEqualTo(Selection.extend(0));
        assertThat(scheduler.next(Duration.ofMillis(20))).as("a wait with a limit ends empty").isEmpty();
        assertThat(scheduler.tryNext()).isEmpty();
    }

    @Test
    void closeWakesTheWaitingLoopsAndStillTakesTheCommitsInFlight() throws Exception {
        LeaseProtocol scheduler = protocol("mcts", 1);
        Lease root = scheduler.next();
        Future<Lease> waiting = threads.submit(() -> scheduler.next());
        Future<Optional<Lease>> waitingWithLimit = threads.submit(() -> scheduler.next(Duration.ofHours(1)));
        await(() -> scheduler.waiting() == 2);
        scheduler.close();
        assertThatThrownBy(() -> waiting.get(DEADLINE_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SchedulerClosedException.class)
                .hasMessageContaining("scheduler mcts is closed");
        assertThatThrownBy(() -> waitingWithLimit.get(DEADLINE_SECONDS, TimeUnit.SECONDS))
                .hasCauseInstanceOf(SchedulerClosedException.class);
        assertThatThrownBy(scheduler::next).isInstanceOf(SchedulerClosedException.class);
        assertThat(scheduler.tryNext()).isEmpty();
        assertThat(scheduler.isClosed()).isTrue();
        assertThat(scheduler.commit(root, Dags.ACCEPTED).id()).as("the run in flight is still recorded").isZero();
        assertThat(scheduler.inFlight()).isEmpty();
    }

    @Test
    void anInterruptedWaitEndsWithInterruptedException() throws Exception {
        LeaseProtocol scheduler = protocol("round-robin", 1);
        scheduler.next();
        Thread waiter = Thread.ofPlatform().unstarted(() -> {
            try {
                scheduler.next();
            } catch (InterruptedException e) {
                return;
            }
            throw new AssertionError("next() returned");
        });
        AtomicInteger failures = new AtomicInteger();
        waiter.setUncaughtExceptionHandler((thread, error) -> failures.incrementAndGet());
        waiter.start();
        await(() -> scheduler.waiting() == 1);
        waiter.interrupt();
        waiter.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        assertThat(waiter.isAlive()).isFalse();
        assertThat(failures).hasValue(0);
    }

    @Test
    void resetForgetsTheLeasesInFlightAndWakesTheWaitingLoops() throws Exception {
        LeaseProtocol scheduler = protocol("round-robin", 2);
        Lease first = scheduler.next();
        scheduler.commit(first, Dags.ACCEPTED);
        Lease a = scheduler.next(); // NEW_ROOT (1 of 2)
        Lease b = scheduler.next(); // extend 0
        Future<Lease> waiting = threads.submit(() -> scheduler.next());
        await(() -> scheduler.waiting() == 1);
        scheduler.reset();
        assertThat(waiting.get(DEADLINE_SECONDS, TimeUnit.SECONDS).selection()).as("a new root is free again")
                .isEqualTo(Selection.NEW_ROOT);
        assertThat(scheduler.inFlight()).hasSize(1);
        assertThatThrownBy(() -> scheduler.commit(a, Dags.ACCEPTED)).isInstanceOf(IllegalStateException.class)
                .hasMessage("lease #2 (NEW_ROOT) is not in flight: it was committed or released already, or "
                        + "forgotten by a reset");
        assertThatThrownBy(() -> scheduler.release(b)).isInstanceOf(IllegalStateException.class);
        assertThat(scheduler.snapshot().size()).as("the DAG is kept").isEqualTo(1);
        assertThat(scheduler.next().selection()).as("and extended as before").isEqualTo(Selection.extend(0));
    }

    @Test
    void aLeaseEndsOnce() throws Exception {
        LeaseProtocol scheduler = protocol("random", 2);
        Lease lease = scheduler.next();
        scheduler.commit(lease, Dags.REJECTED);
        assertThatThrownBy(() -> scheduler.commit(lease, Dags.REJECTED)).hasMessageContaining("is not in flight");
        assertThatThrownBy(() -> scheduler.release(lease)).hasMessageContaining("is not in flight");
        assertThat(scheduler.snapshot().size()).isEqualTo(1);
    }

    @Test
    void aPolicyThatBreaksTheProtocolsRulesIsCaught() throws InterruptedException {
        TraceScheduler unoffered = TraceSchedulers.create("bad", (candidates, random) -> Optional.of(
                candidates.newRootAllowed() ? Selection.NEW_ROOT : Selection.extend(0)), new ExperimentDag(
                Direction.HIGHER), 1, new SplittableRandom(1));
        Lease root = unoffered.next();
        unoffered.commit(root, Dags.ACCEPTED);
        unoffered.next(); // extend 0
        unoffered.commit(unoffered.inFlight().get(0), Dags.ACCEPTED);
        assertThatThrownBy(unoffered::next).as("0 is no leaf any more")
                .hasMessage("scheduler bad chose experiment 0, which it was not offered");
        TraceScheduler rootsForever = TraceSchedulers.create("roots", (candidates, random) -> Optional.of(
                Selection.NEW_ROOT), new ExperimentDag(Direction.HIGHER), 1, new SplittableRandom(1));
        rootsForever.commit(rootsForever.next(), Dags.ACCEPTED);
        assertThatThrownBy(rootsForever::next).hasMessage("scheduler roots chose a new root beyond its 1 traces");
        TraceScheduler never = TraceSchedulers.create("never", (candidates, random) -> Optional.empty(),
                new ExperimentDag(Direction.HIGHER), 1, new SplittableRandom(1));
        assertThatThrownBy(never::next)
                .hasMessage("scheduler never chose nothing with no experiment in flight: it would wait forever");
        assertThatThrownBy(() -> TraceSchedulers.create("sota", new ExperimentDag(Direction.HIGHER), 0,
                new SplittableRandom(1))).hasMessage("the maximum of traces must be at least 1, not 0");
    }

    private static LeaseProtocol protocol(String spec, int maxTraces) {
        return (LeaseProtocol) TraceSchedulers.create(spec, new ExperimentDag(Direction.HIGHER), maxTraces,
                new SplittableRandom(3));
    }

    /** Waits for a condition the threads under test bring about, up to the deadline. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the condition did not come about within " + DEADLINE_SECONDS + " s");
            }
            Thread.onSpinWait();
        }
    }
}
