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
        lock.lock();
        try {
            return closed ? Optional.empty() : Optional.ofNullable(select());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Experiment commit(Lease lease, Feedback feedback) {
        lock.lock();
        try {
            held(lease);
            Experiment experiment = dag.add(lease.parent(), feedback);
            end(lease);
            return experiment;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(Lease lease) {
        lock.lock();
        try {
            held(lease);
            end(lease);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void reset() {
        lock.lock();
        try {
            inFlight.clear();
            leased.clear();
            inFlightRoots = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ExperimentDag snapshot() {
        lock.lock();
        try {
            return dag.copy();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Lease> inFlight() {
        lock.lock();
        try {
            return List.copyOf(inFlight.values());
        } finally {
            lock.unlock();
        }
    }

    /** Threads waiting in {@link #next()} now (for tests that must know a loop is blocked). */
    int waiting() {
        lock.lock();
        try {
            return lock.getWaitQueueLength(changed);
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
