package dev.maze.fakellm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which models are loaded. Without on-demand loading every model is, always. With it (Ollama-style), a request for a
 * model that is not loaded starts loading it when fewer than {@code maxResident} models are loaded or loading;
 * otherwise it evicts the least recently used loaded model that no request is using (running or waiting for it), or,
 * when every loaded model is in use, waits until one is free. Loading takes the load time; requests for the model wait
 * until it is done. A request pins its model from arrival to its end, so a model is never evicted under a request.
 */
final class Residency implements AutoCloseable {

    private enum State { ABSENT, LOADING, RESIDENT }

    private static final class Entry {
        State state;
        int pins;
        long lastUse;
        long loads;
        long evictions;

        Entry(State state) {
            this.state = state;
        }
    }

    /** A model's residency, for the stats. */
    record Snapshot(boolean resident, long loads, long evictions) {}

    private final boolean onDemand;
    private final int maxResident;
    private final long loadNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Set<Thread> loaders = ConcurrentHashMap.newKeySet();
    private long useClock;
    private boolean closed;

    Residency(List<String> models, boolean onDemand, int maxResident, long loadNanos) {
        this.onDemand = onDemand;
        this.maxResident = maxResident;
        this.loadNanos = loadNanos;
        for (String model : models) {
            entries.put(model, new Entry(onDemand ? State.ABSENT : State.RESIDENT));
        }
    }

    /** A request for {@code model} arrived: the model may not be evicted until {@link #unpin}. */
    void pin(String model) {
        lock.lock();
        try {
            entries.get(model).pins++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The request for {@code model} ended; it counts as the model's latest use. With {@code unload} (the request's
     * {@code keep_alive} was 0) an on-demand server drops the model once no other request uses it.
     */
    void unpin(String model, boolean unload) {
        lock.lock();
        try {
            Entry entry = entries.get(model);
            entry.pins--;
            entry.lastUse = ++useClock;
            if (unload && onDemand && entry.pins == 0 && entry.state == State.RESIDENT) {
                entry.state = State.ABSENT;
                entry.evictions++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Returns when {@code model} (pinned by the caller) is loaded, loading it first if need be. */
    void awaitResident(String model) throws InterruptedException {
        if (!onDemand) {
            return;
        }
        lock.lockInterruptibly();
        try {
            Entry entry = entries.get(model);
            while (entry.state != State.RESIDENT) {
                if (closed) {
                    throw new InterruptedException("the server is closing");
                }
                if (entry.state == State.ABSENT) {
                    if (occupied() < maxResident) {
                        startLoading(model, entry);
                        continue;
                    }
                    Entry victim = leastRecentlyUsedIdle();
                    if (victim != null) {
                        victim.state = State.ABSENT;
                        victim.evictions++;
                        startLoading(model, entry);
                        continue;
                    }
                }
                changed.await();
            }
            entry.lastUse = ++useClock;
        } finally {
            lock.unlock();
        }
    }

    Snapshot snapshot(String model) {
        lock.lock();
        try {
            Entry entry = entries.get(model);
            return new Snapshot(entry.state == State.RESIDENT, entry.loads, entry.evictions);
        } finally {
            lock.unlock();
        }
    }

    /** Stops the loads under way; their waiters are interrupted out of their wait. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        loaders.forEach(Thread::interrupt);
    }

    private int occupied() {
        int occupied = 0;
        for (Entry entry : entries.values()) {
            if (entry.state != State.ABSENT) {
                occupied++;
            }
        }
        return occupied;
    }

    private Entry leastRecentlyUsedIdle() {
        Entry victim = null;
        for (Entry entry : entries.values()) {
            if (entry.state == State.RESIDENT && entry.pins == 0 && (victim == null || entry.lastUse < victim.lastUse)) {
                victim = entry;
            }
        }
        return victim;
    }

    /** Under the lock. The load runs on its own thread: a client that leaves does not cancel it. */
    private void startLoading(String model, Entry entry) {
        entry.state = State.LOADING;
        entry.loads++;
        Thread loader = Thread.ofVirtual().name("fake-llm-load-" + model).unstarted(() -> {
            try {
                TimeUnit.NANOSECONDS.sleep(loadNanos);
            } catch (InterruptedException e) {
                return; // the server is closing
            } finally {
                loaders.remove(Thread.currentThread());
            }
            lock.lock();
            try {
                entry.state = State.RESIDENT;
                entry.lastUse = ++useClock;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        });
        loaders.add(loader);
        loader.start();
    }
}
