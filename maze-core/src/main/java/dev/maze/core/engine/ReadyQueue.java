package dev.maze.core.engine;

import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * The ready queue, kept as one sorted set per resource class (GPU, CPU, I/O) and walked as their merge, so it reads in
 * one total order (priority class, policy key, arrival sequence) exactly as a single set would. Why split it: when a
 * pass blocks a class (Maze's head-of-line rule) the walk drops that class's set instead of stepping over each of its
 * tasks — with 100,000 blocked GPU calls queued, every pass used to step over all of them.
 */
final class ReadyQueue {

    /** The resource classes, by index: what {@code Resources.resourceClass()} names. */
    static final int GPU = 0;
    static final int CPU = 1;
    static final int IO = 2;

    private final TreeSet<TaskRun>[] byClass;

    @SuppressWarnings("unchecked")
    ReadyQueue(Comparator<TaskRun> order) {
        byClass = new TreeSet[] {new TreeSet<>(order), new TreeSet<>(order), new TreeSet<>(order)};
    }

    static int classOf(TaskRun task) {
        return switch (task.spec.resources().resourceClass()) {
            case "gpu" -> GPU;
            case "cpu" -> CPU;
            default -> IO;
        };
    }

    void add(TaskRun task) {
        byClass[classOf(task)].add(task);
    }

    void remove(TaskRun task) {
        byClass[classOf(task)].remove(task);
    }

    int size() {
        return byClass[GPU].size() + byClass[CPU].size() + byClass[IO].size();
    }

    /** A walk over every task in queue order. */
    Walk walk() {
        return new Walk();
    }

    /**
     * The merge of the three sets. The set that gave the last task moves on only when the walk is asked for the next
     * one, so that {@link #remove()} goes through the iterator that returned it. A class may be dropped mid-walk.
     */
    final class Walk implements Iterator<TaskRun> {
        private final Iterator<TaskRun>[] iterators;
        private final TaskRun[] heads = new TaskRun[3];
        /** The class of the task last returned, whose iterator has not moved on yet; -1 for none. */
        private int returnedFrom = -1;
        private boolean removable;

        @SuppressWarnings("unchecked")
        private Walk() {
            iterators = new Iterator[3];
            for (int c = 0; c < 3; c++) {
                iterators[c] = byClass[c].iterator();
                advance(c);
            }
        }

        private void advance(int c) {
            heads[c] = iterators[c] != null && iterators[c].hasNext() ? iterators[c].next() : null;
        }

        private void catchUp() {
            if (returnedFrom >= 0) {
                advance(returnedFrom);
                returnedFrom = -1;
                removable = false;
            }
        }

        @Override
        public boolean hasNext() {
            catchUp();
            return heads[GPU] != null || heads[CPU] != null || heads[IO] != null;
        }

        @Override
        public TaskRun next() {
            catchUp();
            int best = -1;
            for (int c = 0; c < 3; c++) {
                if (heads[c] != null && (best < 0 || byClass[c].comparator().compare(heads[c], heads[best]) < 0)) {
                    best = c;
                }
            }
            if (best < 0) {
                throw new NoSuchElementException();
            }
            TaskRun task = heads[best];
            heads[best] = null;
            returnedFrom = best;
            removable = true;
            return task;
        }

        /** Removes the task last returned (it starts now). */
        @Override
        public void remove() {
            if (!removable) {
                throw new IllegalStateException("nothing to remove");
            }
            iterators[returnedFrom].remove();
            removable = false;
        }

        /** Ends the walk over {@code resourceClass}: none of its tasks is returned from now on. */
        void dropClass(int resourceClass) {
            if (returnedFrom == resourceClass) {
                returnedFrom = -1;
                removable = false;
            }
            iterators[resourceClass] = null;
            heads[resourceClass] = null;
        }
    }
}
