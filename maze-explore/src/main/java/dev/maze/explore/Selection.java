package dev.maze.explore;

/** What a scheduler selected for the next experiment: a new trace, or an experiment to derive from. */
public sealed interface Selection {

    /** Start a new trace: the next experiment is a root. */
    Selection NEW_ROOT = new NewRoot();

    /** Derive the next experiment from experiment {@code parent}. */
    static Selection extend(int parent) {
        return new Extend(parent);
    }

    /** A new trace's root. */
    record NewRoot() implements Selection {
        @Override
        public String toString() {
            return "NEW_ROOT";
        }
    }

    /** A child of {@code parent}. */
    record Extend(int parent) implements Selection {
        public Extend {
            if (parent < 0) {
                throw new IllegalArgumentException("a parent is an experiment id from 0, not " + parent);
            }
        }

        @Override
        public String toString() {
            return "extend " + parent;
        }
    }
}
