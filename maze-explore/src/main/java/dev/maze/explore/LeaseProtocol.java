package dev.maze.explore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The one implementation of the lease protocol: the lock, the leases, the waiting and the invariants, around a
 * {@link TracePolicy} that only chooses among the candidates offered to it. A {@link ReentrantLock} and its condition
 * rather than {@code synchronized}, so a virtual thread waiting here does not pin its carrier.
 */
final class LeaseProtocol implements TraceScheduler {

    private final String name;
    private final TracePolicy policy;
    private final ExperimentDag dag;
    private final int maxTraceNum;
    private final RandomGenerator random;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Long, Lease> inFlight = new LinkedHashMap<>();
    private final Set<Integer> leased = new HashSet<>();
    private int inFlightRoots;
    private long leases;
    private boolean closed;

    LeaseProtocol(String name, TracePolicy policy, ExperimentDag dag, int maxTraceNum, RandomGenerator random) {
        if (maxTraceNum < 1) {
            throw new IllegalArgumentException("the maximum of traces must be at least 1, not " + maxTraceNum);
        }
        this.name = name;
        this.policy = policy;
        this.dag = dag;
        this.maxTraceNum = maxTraceNum;
        this.random = random;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int maxTraceNum() {
        return maxTraceNum;
    }

    @Override
    public Lease next() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            Lease lease;
            while ((lease = select()) == null) {
                changed.await();
            }
            return lease;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Lease> next(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            Lease lease;
            while ((lease = select()) == null) {
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = changed.awaitNanos(nanos);
            }
            return Optional.of(lease);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Lease> tryNext() {
        return locked(() -> closed ? Optional.empty() : Optional.ofNullable(select()));
    }

    @Override
    public Experiment commit(Lease lease, Feedback feedback) {
        return locked(() -> {
            held(lease);
            Experiment experiment = dag.add(lease.parent(), feedback);
            end(lease);
            return experiment;
        });
    }

    @Override
    public void release(Lease lease) {
        locked(() -> {
            held(lease);
            end(lease);
            return null;
        });
    }

    @Override
    public void reset() {
        locked(() -> {
            inFlight.clear();
            leased.clear();
            inFlightRoots = 0;
            changed.signalAll();
            return null;
        });
    }

    @Override
    public void close() {
        locked(() -> {
            closed = true;
            changed.signalAll();
            return null;
        });
    }

    @Override
    public boolean isClosed() {
        return locked(() -> closed);
    }

    @Override
    public ExperimentDag snapshot() {
        return locked(dag::copy);
    }

    @Override
    public List<Lease> inFlight() {
        return locked(() -> List.copyOf(inFlight.values()));
    }

    /** Threads waiting in {@link #next()} now (for tests that must know a loop is blocked). */
    int waiting() {
        return locked(() -> lock.getWaitQueueLength(changed));
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "scheduler " + name;
    }

    /** A new lease, or null when nothing may be selected now. Called with the lock held. */
    private Lease select() {
        if (closed) {
            throw new SchedulerClosedException(name);
        }
        boolean newRootAllowed = dag.roots().size() + inFlightRoots < maxTraceNum;
        List<Experiment> available = new ArrayList<>();
        for (Experiment experiment : policy.scope() == TracePolicy.Scope.LEAVES ? dag.leaves() : dag.experiments()) {
            if (!leased.contains(experiment.id())) {
                available.add(experiment);
            }
        }
        if (!newRootAllowed && available.isEmpty()) {
            return null;
        }
        Candidates candidates = new Candidates(dag, newRootAllowed, available, leased, inFlightRoots);
        Optional<Selection> choice = policy.choose(candidates, random);
        if (choice.isEmpty()) {
            if (inFlight.isEmpty()) {
                throw new IllegalStateException("scheduler " + name + " chose nothing with no experiment in flight: it "
                        + "would wait forever");
            }
            return null;
        }
        Selection selection = choice.get();
        switch (selection) {
            case Selection.NewRoot newRoot -> {
                if (!newRootAllowed) {
                    throw new IllegalStateException("scheduler " + name + " chose a new root beyond its " + maxTraceNum
                            + " traces");
                }
                inFlightRoots++;
            }
            case Selection.Extend(int parent) -> {
                if (available.stream().noneMatch(experiment -> experiment.id() == parent)) {
                    throw new IllegalStateException("scheduler " + name + " chose experiment " + parent
                            + ", which it was not offered");
                }
                leased.add(parent);
            }
        }
        Lease lease = new Lease(++leases, selection);
        inFlight.put(lease.number(), lease);
        return lease;
    }

    private void held(Lease lease) {
        if (!lease.equals(inFlight.get(lease.number()))) {
            throw new IllegalStateException(lease + " is not in flight: it was committed or released already, or "
                    + "forgotten by a reset");
        }
    }

    private void end(Lease lease) {
        inFlight.remove(lease.number());
        OptionalInt parent = lease.parent();
        if (parent.isPresent()) {
            leased.remove(parent.getAsInt());
        } else {
            inFlightRoots--;
        }
        changed.signalAll();
    }
}
