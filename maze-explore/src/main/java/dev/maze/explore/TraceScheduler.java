package dev.maze.explore;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Decides which trace or experiment parallel exploration loops grow next, and owns the exploration's
 * {@link ExperimentDag} (maze-explore/README.md, "Lease protocol"). A loop takes a {@link Lease} ({@link #next()}),
 * proposes and runs the experiment it names, and {@linkplain #commit commits} the result, which releases the lease;
 * a cancelled iteration {@linkplain #release releases} it without a child. Thread-safe: any number of loops (virtual
 * threads welcome) call it at once.
 *
 * <p>Invariants, whatever the policy: a leased parent is offered to no other loop until its lease ends (never two
 * in-flight children of one parent); committed roots plus new-root leases in flight never exceed the maximum of
 * traces; a leaf-based policy only ever extends leaves, so each of its traces is a chain.
 */
public interface TraceScheduler extends AutoCloseable {

    /** The name it was created with (a spec such as {@code sota:decay=0.8}). */
    String name();

    /** The most traces (roots) it starts. */
    int maxTraceNum();

    /**
     * The next lease, waiting (without polling: on a condition a commit, release, reset or close signals) while
     * nothing may be selected: every candidate leased and no new trace allowed.
     *
     * @throws SchedulerClosedException once {@link #close} is called, also while waiting
     * @throws InterruptedException when the waiting thread is interrupted
     */
    Lease next() throws InterruptedException;

    /**
     * As {@link #next()}, waiting at most {@code timeout}.
     *
     * @return the lease, or empty when the time passed first
     * @throws SchedulerClosedException once {@link #close} is called, also while waiting
     */
    Optional<Lease> next(Duration timeout) throws InterruptedException;

    /** The next lease if one may be selected now; empty when not, or when closed. Never waits. */
    Optional<Lease> tryNext();

    /**
     * Adds the lease's child to the DAG (and its journal, forced to disk first) and ends the lease. Allowed after
     * {@link #close}, so an experiment that was running when the budget ran out is still recorded.
     *
     * @return the committed experiment, with its id
     * @throws IllegalStateException for a lease that is not in flight (committed or released already, or forgotten by
     *     {@link #reset})
     * @throws java.io.UncheckedIOException when the journal cannot be written: nothing changes and the lease is still
     *     held (commit again, or release it)
     */
    Experiment commit(Lease lease, Feedback feedback);

    /**
     * Ends a lease without a child (a cancelled or abandoned iteration): its parent, or its new-root place, is
     * offered again.
     *
     * @throws IllegalStateException for a lease that is not in flight
     */
    void release(Lease lease);

    /**
     * Forgets every lease in flight, as RD-Agent's scheduler reset forgets its uncommitted selections, and wakes the
     * waiting loops: every experiment and trace is selectable again. The DAG is kept, and the policies hold no state
     * besides it and their random generator (which goes on), so nothing else changes. A forgotten lease can be
     * neither committed nor released (an {@link IllegalStateException}): stop the iterations that hold them first. To
     * start over from nothing, as RD-Agent does when it discards its trace, create a scheduler on a new DAG.
     */
    void reset();

    /**
     * Stops handing out leases: {@link #next()} throws {@link SchedulerClosedException}, also to the loops already
     * waiting (woken now), and {@link #tryNext()} is empty; leases in flight may still be committed or released.
     * Idempotent.
     */
    @Override
    void close();

    /** Whether {@link #close} was called. */
    boolean isClosed();

    /** A copy of the DAG as it is now, for readers (progress, reports); it changes with no later commit. */
    ExperimentDag snapshot();

    /** The leases in flight, oldest first. */
    List<Lease> inFlight();
}
