package dev.maze.core.clock;

/** Real time: {@link System#nanoTime()} measured from an origin. */
public final class WallClock implements Clock {

    private final long origin;

    /** Time since this clock was created. */
    public WallClock() {
        this.origin = System.nanoTime();
    }

    private WallClock(long origin) {
        this.origin = origin;
    }

    /**
     * Time since the Unix epoch, so that the engine's times continue across processes: what an engine restored from a
     * durable journal needs (its journaled deadlines, backoffs and submission times are on the same timeline).
     */
    public static WallClock sinceEpoch() {
        java.time.Instant now = java.time.Instant.now();
        long epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return new WallClock(System.nanoTime() - epochNanos);
    }

    @Override
    public long nanos() {
        return System.nanoTime() - origin;
    }
}
