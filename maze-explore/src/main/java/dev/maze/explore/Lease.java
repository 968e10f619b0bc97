package dev.maze.explore;

import java.util.OptionalInt;

/**
 * A selection a loop holds until it {@linkplain TraceScheduler#commit commits} the child or
 * {@linkplain TraceScheduler#release releases} it (maze-explore/README.md, "Lease protocol"). While it is held, its
 * parent is offered to no other loop, and a new root counts against the scheduler's maximum of traces.
 *
 * @param number unique within its scheduler, never reused (not even after {@link TraceScheduler#reset})
 * @param selection the parent to derive from, or {@link Selection#NEW_ROOT}
 */
public record Lease(long number, Selection selection) {

    /** The experiment to derive from, or empty for a new root. */
    public OptionalInt parent() {
        return selection instanceof Selection.Extend(int parent) ? OptionalInt.of(parent) : OptionalInt.empty();
    }

    /** Whether the child will start a new trace. */
    public boolean isNewRoot() {
        return selection instanceof Selection.NewRoot;
    }

    @Override
    public String toString() {
        return "lease #" + number + " (" + selection + ")";
    }
}
