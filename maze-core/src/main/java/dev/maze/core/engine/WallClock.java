package dev.maze.core.engine;

/** Real time: {@link System#nanoTime()} measured from the clock's creation. */
public final class WallClock implements Clock {

    private final long origin = System.nanoTime();

    @Override
    public long nanos() {
        return System.nanoTime() - origin;
    }
}
